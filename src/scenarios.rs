//! Finding and reading scenarios: the built-in ones shipped in `scenarios/` (embedded in the binary so
//! that `supportsim generate` works from any folder) or a TOML file named on the command line.
//! Parse errors become one line naming the file, the field (as a TOML path) and the problem.

use std::path::Path;

use crate::config::Config;
use crate::error::AppError;
use crate::scenario::Scenario;

/// (name, TOML text) of every built-in scenario.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("saas", include_str!("../scenarios/saas.toml")),
    ("ecommerce", include_str!("../scenarios/ecommerce.toml")),
    ("fintech", include_str!("../scenarios/fintech.toml")),
    ("large", include_str!("../scenarios/large.toml")),
];

/// A scenario read and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Built-in name or the file stem.
    pub name: String,
    /// Where it came from, for messages ("saas" or the path).
    pub source: String,
    pub scenario: Scenario,
    pub config: Config,
}

/// Resolves `name_or_path`: a path if it names an existing file or ends in `.toml`, else a built-in.
pub fn load(name_or_path: &str) -> Result<Loaded, AppError> {
    let path = Path::new(name_or_path);
    if path.is_file() || name_or_path.ends_with(".toml") || name_or_path.contains('/') {
        let text = std::fs::read_to_string(path).map_err(|e| AppError::BadInput {
            file: name_or_path.to_string(),
            message: format!("cannot read the scenario file: {e}"),
        })?;
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
            .to_string();
        return parse(&name, name_or_path, &text);
    }
    match BUILT_IN.iter().find(|(n, _)| *n == name_or_path) {
        Some((n, text)) => parse(n, &format!("scenarios/{n}.toml"), text),
        None => Err(AppError::BadInput {
            file: name_or_path.to_string(),
            message: format!(
                "no built-in scenario or file of that name, got \"{name_or_path}\" (built-in: {})",
                BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

/// Parses and validates scenario `text`; `source` names it in errors.
pub fn parse(name: &str, source: &str, text: &str) -> Result<Loaded, AppError> {
    let scenario: Scenario = toml::from_str(text).map_err(|e| AppError::BadInput {
        file: source.to_string(),
        message: describe_toml_error(text, &e),
    })?;
    let config = Config::from_scenario(&scenario).map_err(|e| AppError::BadInput {
        file: source.to_string(),
        message: e.to_string(),
    })?;
    Ok(Loaded {
        name: name.to_string(),
        source: source.to_string(),
        scenario,
        config,
    })
}

/// One line: the TOML path of the offending key (from the error's position), the parser's message
/// and the line number.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else { return message };
    let offset = span.start.min(text.len());
    let line_no = text[..offset].matches('\n').count() + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let field = toml_path_at(text, line_start, line);
    match field {
        Some(f) => format!("{f}: {message} (line {line_no})"),
        None => format!("{message} (line {line_no})"),
    }
}

/// The dotted path of the key on `line`, prefixed by the enclosing `[table]` or `[[array]]` header
/// (with the array index), e.g. `channels[2].share`.
fn toml_path_at(text: &str, line_start: usize, line: &str) -> Option<String> {
    let before = &text[..line_start];
    let mut table: Option<String> = None;
    for l in before.lines().rev() {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")) {
            let header = format!("[[{name}]]");
            let index = before.lines().filter(|x| x.trim() == header).count().saturating_sub(1);
            table = Some(format!("{}[{index}]", name.trim()));
            break;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            table = Some(name.trim().to_string());
            break;
        }
    }
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        // The error is about the table itself (a missing field, for instance).
        let name = trimmed.trim_start_matches('[').trim_end_matches(']').trim();
        let header_count = text[..line_start + line.len()]
            .lines()
            .filter(|x| x.trim() == trimmed)
            .count();
        return Some(if trimmed.starts_with("[[") {
            format!("{name}[{}]", header_count.saturating_sub(1))
        } else {
            name.to_string()
        });
    }
    let key = trimmed
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string());
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(t), None) => Some(t),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_is_valid() {
        for (name, text) in BUILT_IN {
            if let Err(e) = parse(name, name, text) {
                panic!("built-in scenario {name} is invalid: {e}");
            }
        }
    }

    #[test]
    fn a_type_error_names_the_field_and_value() {
        let text = BUILT_IN[0].1.replacen("share = 0.38", "share = \"lots\"", 1);
        let e = parse("x", "x.toml", &text).unwrap_err().to_string();
        assert!(e.starts_with("x.toml: channels[0].share: "), "{e}");
        assert!(e.contains("lots"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }
}
