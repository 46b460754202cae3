//! Memory hints for the engine: map in, with one system call, the memory a vector is about to
//! fill; and fetch into cache an element a batch loop will read a few steps later.
//!
//! A history of the `large` scenario writes about 220 MB of tickets and events into freshly mapped
//! memory. Filling it page by page costs one page fault per 4 KiB, about a tenth of the engine's
//! time on the project's machines; `madvise(MADV_POPULATE_WRITE)` (Linux 5.14 and later) maps the
//! same pages in one call, without the per-page trap. Contents are untouched, so this is only a
//! hint: where it is not supported (older kernels, other systems) nothing happens and the pages
//! fault in as they are written.

/// How far a vector's memory has been mapped in ahead of its writes.
#[derive(Debug, Default)]
pub struct MappedAhead {
    /// Address of the vector's buffer when last extended (a reallocation starts afresh).
    base: usize,
    /// Elements of that buffer mapped in.
    upto: usize,
}

impl MappedAhead {
    /// Maps in `v`'s buffer for the next `ahead` elements (within its capacity), beyond what is
    /// mapped already.
    pub fn extend<T>(&mut self, v: &mut Vec<T>, ahead: usize) {
        let base = v.as_mut_ptr() as usize;
        if base != self.base {
            self.base = base;
            self.upto = v.len();
        }
        let target = (v.len() + ahead).min(v.capacity());
        if target > self.upto {
            let size = std::mem::size_of::<T>();
            populate(base + self.upto * size, base + target * size);
            self.upto = target;
        }
    }
}

#[cfg(target_os = "linux")]
fn populate(from: usize, to: usize) {
    const PAGE: usize = 4096;
    // From the page holding `from` (mapped: it holds part of the buffer) to the last page wholly
    // before `to` (the buffer may end inside the next one, and what follows may be unmapped).
    let start = from / PAGE * PAGE;
    let end = to / PAGE * PAGE;
    if end > start {
        // SAFETY: the pages lie in this process's mapped memory (a vector's buffer, plus at most
        // the start of the page that holds its first byte), and MADV_POPULATE_WRITE only maps pages
        // in, as writing to them would; it changes no byte. A failure (EINVAL on kernels without
        // it) leaves the pages to fault in as usual.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_POPULATE_WRITE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn populate(_from: usize, _to: usize) {}

/// Asks the processor to fetch `x` into cache (x86-64: `prefetcht0`); elsewhere nothing happens. A
/// batch loop whose steps each read scattered memory calls it for a step a few ahead, so that the
/// reads overlap instead of waiting one after another.
#[inline(always)]
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // A prefetch reads nothing and cannot fault; SSE is part of every x86-64 processor.
        #[allow(unused_unsafe)]
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(x as *const T as *const i8)
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}
