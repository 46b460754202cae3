//! One memory hint for the engine's large vectors: fault in the memory a vector has reserved with
//! one system call, before the simulation fills it.
//!
//! A history of the `large` scenario writes about 220 MB of tickets and events into freshly mapped
//! memory. Filling it page by page costs one page fault per 4 KiB, about a tenth of the engine's
//! time on the project's machines; `madvise(MADV_POPULATE_WRITE)` (Linux 5.14 and later) maps the
//! same pages in one call, without the per-page trap. The contents are untouched, so this is only a
//! hint: where it is not supported (older kernels, other systems) nothing happens and the pages
//! fault in as they are written.

/// Maps in the spare capacity of `v` (the part it has reserved but not yet filled).
pub fn populate_spare<T>(v: &mut Vec<T>) {
    let spare = v.spare_capacity_mut();
    populate(spare.as_mut_ptr() as usize, std::mem::size_of_val(spare));
}

#[cfg(target_os = "linux")]
fn populate(addr: usize, len: usize) {
    const PAGE: usize = 4096;
    // Whole pages inside the range only: madvise needs a page-aligned start, and the pages at
    // either end may hold other data.
    let start = addr.next_multiple_of(PAGE);
    let end = (addr + len) / PAGE * PAGE;
    if end > start {
        // SAFETY: the range lies within an allocation this process owns (a vector's spare capacity),
        // and MADV_POPULATE_WRITE only maps pages in, as writing to them would; it changes no byte.
        // A failure (EINVAL on kernels without it) leaves the pages to fault in as usual.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_POPULATE_WRITE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn populate(_addr: usize, _len: usize) {}
