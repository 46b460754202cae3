//! The event queue: a binary heap keyed by (time, insertion counter), so events at equal times pop in
//! the order they were scheduled. Time is integer seconds; scheduling into the past is a bug and panics
//! rather than being clamped.
//!
//! The key packs the time (upper 32 bits: seconds, up to 136 years) and the insertion counter (lower
//! 32 bits) into one `u64`, so ordering is a single integer comparison. A run may schedule at most
//! 2^32 events; beyond that `schedule` panics rather than reorder events.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    /// time_secs << 32 | insertion counter
    key: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the max-heap pops the earliest time, then the earliest insertion.
        other.key.cmp(&self.key)
    }
}

/// A min-queue of events in simulated seconds.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now_secs: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            seq: 0,
            now_secs: 0,
        }
    }

    /// The time of the last event popped.
    pub fn now_secs(&self) -> u64 {
        self.now_secs
    }

    /// Schedules `event` at `time_secs`, which must not lie before the last popped event.
    pub fn schedule(&mut self, time_secs: u64, event: E) {
        assert!(
            time_secs >= self.now_secs,
            "event scheduled in the past: {time_secs} < {}",
            self.now_secs
        );
        assert!(
            time_secs <= u64::from(u32::MAX),
            "event time {time_secs} s is beyond the clock's range"
        );
        let seq = u32::try_from(self.seq).expect("more than 2^32 events scheduled in one run");
        self.heap.push(Entry {
            key: (time_secs << 32) | u64::from(seq),
            event,
        });
        self.seq += 1;
    }

    /// Time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|e| e.key >> 32)
    }

    /// Removes and returns the next event, advancing the clock to it.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        let e = self.heap.pop()?;
        self.now_secs = e.key >> 32;
        Some((self.now_secs, e.event))
    }

    /// Moves the clock forward without an event (for events from outside the queue, like arrivals).
    pub fn advance_to(&mut self, time_secs: u64) {
        assert!(
            time_secs >= self.now_secs,
            "clock moved backwards: {time_secs} < {}",
            self.now_secs
        );
        self.now_secs = time_secs;
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.schedule(10, "b1");
        q.schedule(5, "a");
        q.schedule(10, "b2");
        q.schedule(7, "c");
        q.schedule(10, "b3");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(5, "a"), (7, "c"), (10, "b1"), (10, "b2"), (10, "b3")]);
    }

    #[test]
    fn matches_a_sorted_order_under_interleaved_schedules_and_pops() {
        // A hold model with ties, far and near times, and pops between schedules: the order must be
        // exactly that of sorting by (time, scheduling order).
        let mut q = EventQueue::new();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rand = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut pending = std::collections::BTreeSet::new();
        let mut n = 0u64;
        let mut now = 0u64;
        for step in 0..200_000 {
            let r = rand();
            if r % 3 != 0 || pending.is_empty() {
                let delay = match r >> 60 {
                    0..=5 => 0,
                    6..=11 => (r >> 8) % 60,
                    _ => (r >> 8) % 5_000_000,
                };
                q.schedule(now + delay, n);
                pending.insert((now + delay, n));
                n += 1;
            } else {
                let (t, e) = q.pop().expect("pending events");
                assert_eq!(Some((t, e)), pending.pop_first(), "step {step}");
                now = t;
                assert_eq!(q.peek_time(), pending.first().map(|p| p.0));
            }
            assert_eq!(q.len(), pending.len());
        }
    }

    #[test]
    #[should_panic(expected = "past")]
    fn scheduling_into_the_past_panics() {
        let mut q = EventQueue::new();
        q.schedule(10, ());
        q.pop();
        q.schedule(9, ());
    }
}
