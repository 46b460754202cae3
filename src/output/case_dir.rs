//! The output folder, written atomically: everything goes into a hidden staging folder next to it,
//! which is renamed into place at the end. A non-empty output folder is only replaced with `--force`,
//! and then only after the new case is complete.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::error::AppError;

/// A staging folder that becomes `target` on [`Staging::commit`]; dropped without commit, it is deleted.
pub struct Staging {
    dir: TempDir,
    target: PathBuf,
}

fn is_empty_dir(p: &Path) -> Result<bool, AppError> {
    let mut entries = std::fs::read_dir(p).map_err(|e| AppError::io("cannot read", p, e))?;
    Ok(entries.next().is_none())
}

impl Staging {
    /// Checks that `target` may be written (absent, empty, or `force`) and creates the staging folder
    /// beside it.
    pub fn prepare(target: &Path, force: bool) -> Result<Self, AppError> {
        if target.exists() {
            if !target.is_dir() {
                return Err(AppError::Usage(format!(
                    "{}: output path exists and is not a folder; choose another --out",
                    target.display()
                )));
            }
            if !force && !is_empty_dir(target)? {
                return Err(AppError::Usage(format!(
                    "{}: output folder is not empty; use --force to replace it or choose another --out",
                    target.display()
                )));
            }
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| AppError::io("cannot create", &parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".supportsim-staging-")
            .tempdir_in(&parent)
            .map_err(|e| AppError::io("cannot create a staging folder in", &parent, e))?;
        Ok(Self {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the finished case into place, replacing an existing folder (checked in `prepare`).
    pub fn commit(self) -> Result<(), AppError> {
        let target = self.target;
        let staged = self.dir.keep();
        if target.exists() {
            let parent = staged.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(".supportsim-replaced-")
                .tempdir_in(parent)
                .map_err(|e| AppError::io("cannot create a folder in", parent, e))?
                .keep();
            let old_case = old.join("case");
            std::fs::rename(&target, &old_case).map_err(|e| AppError::io("cannot move aside", &target, e))?;
            if let Err(e) = std::fs::rename(&staged, &target) {
                // Put the previous folder back before reporting.
                let _ = std::fs::rename(&old_case, &target);
                return Err(AppError::io("cannot move the new case to", &target, e));
            }
            std::fs::remove_dir_all(&old).map_err(|e| AppError::io("cannot remove the replaced case in", &old, e))?;
        } else {
            std::fs::rename(&staged, &target).map_err(|e| AppError::io("cannot move the new case to", &target, e))?;
        }
        Ok(())
    }
}
