//! The event queue: events pop by time, and events at equal times in the order they were scheduled.
//! Time is integer seconds up to `u32::MAX` (136 years); scheduling into the past is a bug and
//! panics rather than being clamped.
//!
//! A hierarchical timing wheel (Varghese and Lauck, 1987) rather than a binary heap: a pop in a heap
//! walks root to leaf through a chain of dependent loads and unpredictable branches, which cost the
//! engine about a tenth of its time. Here:
//! - the near wheel has one FIFO per second of the current block of 4,096 seconds;
//! - the far wheel has one FIFO per block for the next 4,095 blocks (about 194 days);
//! - a binary heap keyed by (time, scheduling counter) holds anything later still.
//!
//! Scheduling appends to a FIFO; a pop takes the head of the first non-empty second, found with
//! bitmaps. When the near wheel runs dry, the clock's block moves to the next block holding events:
//! first the heap hands over the events that now fall within the far wheel's reach (in key order),
//! then that block's FIFO is spread over the near wheel's seconds. Events of one second therefore
//! always keep their scheduling order: an event reaches a FIFO before any event scheduled later for
//! the same second could be appended to it.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// log2 of the seconds in a block and of the blocks in the far wheel.
const BITS: u32 = 12;
const SLOTS: usize = 1 << BITS;
const MASK: u64 = SLOTS as u64 - 1;
/// End of a FIFO or of the free list.
const NIL: u32 = u32::MAX;

/// One scheduled event in the node slab.
#[derive(Clone, Copy)]
struct Node<E> {
    time: u32,
    next: u32,
    event: E,
}

/// FIFOs of nodes, one per slot, with a two-level bitmap of the non-empty ones.
struct Wheel {
    head: Vec<u32>,
    tail: Vec<u32>,
    words: Vec<u64>,
    /// Bit `w` set when `words[w]` is non-zero.
    summary: u64,
}

impl Wheel {
    fn new() -> Self {
        Self {
            head: vec![NIL; SLOTS],
            tail: vec![NIL; SLOTS],
            words: vec![0; SLOTS / 64],
            summary: 0,
        }
    }

    /// The first non-empty slot at or after `from`, wrapping around.
    fn first_from(&self, from: usize) -> Option<usize> {
        let w = from / 64;
        let here = self.words[w] & (u64::MAX << (from % 64));
        if here != 0 {
            return Some(w * 64 + here.trailing_zeros() as usize);
        }
        let above = if w + 1 < 64 {
            self.summary & (u64::MAX << (w + 1))
        } else {
            0
        };
        let word = if above != 0 { above } else { self.summary };
        if word == 0 {
            return None;
        }
        let w = word.trailing_zeros() as usize;
        Some(w * 64 + self.words[w].trailing_zeros() as usize)
    }

    fn mark(&mut self, slot: usize) {
        self.words[slot / 64] |= 1 << (slot % 64);
        self.summary |= 1 << (slot / 64);
    }

    fn unmark(&mut self, slot: usize) {
        self.words[slot / 64] &= !(1 << (slot % 64));
        if self.words[slot / 64] == 0 {
            self.summary &= !(1 << (slot / 64));
        }
    }
}

/// A far-future event, ordered by key only.
struct Far<E> {
    /// time_secs << 32 | scheduling counter
    key: u64,
    event: E,
}

impl<E> PartialEq for Far<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Far<E> {}
impl<E> PartialOrd for Far<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Far<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// A min-queue of events in simulated seconds.
pub struct EventQueue<E> {
    nodes: Vec<Node<E>>,
    /// Head of the list of reusable nodes.
    free: u32,
    /// One FIFO per second of block `block`.
    near: Wheel,
    /// One FIFO per block from `block + 1` to `block + 4095` (slot = block mod 4096).
    far: Wheel,
    /// Earliest time in each far FIFO.
    far_min: Vec<u32>,
    /// Events beyond the far wheel's reach.
    beyond: BinaryHeap<Reverse<Far<E>>>,
    /// The current block: time >> 12 of the events in the near wheel.
    block: u64,
    len: usize,
    seq: u64,
    now_secs: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            nodes: Vec::new(),
            free: NIL,
            near: Wheel::new(),
            far: Wheel::new(),
            far_min: vec![u32::MAX; SLOTS],
            beyond: BinaryHeap::new(),
            block: 0,
            len: 0,
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
        self.seq += 1;
        self.len += 1;
        self.file(time_secs, seq, event);
    }

    /// Puts an event in the near wheel, the far wheel or beyond, by its block.
    #[inline]
    fn file(&mut self, time_secs: u64, seq: u32, event: E) {
        let block = time_secs >> BITS;
        if block == self.block {
            self.append_near(time_secs as u32, event);
        } else if block < self.block + SLOTS as u64 {
            let slot = (block & MASK) as usize;
            self.far_min[slot] = self.far_min[slot].min(time_secs as u32);
            let node = self.alloc(time_secs as u32, event);
            append(&mut self.far, &mut self.nodes, slot, node);
        } else {
            self.beyond.push(Reverse(Far {
                key: time_secs << 32 | u64::from(seq),
                event,
            }));
        }
    }

    #[inline]
    fn append_near(&mut self, time: u32, event: E) {
        let node = self.alloc(time, event);
        append(&mut self.near, &mut self.nodes, (u64::from(time) & MASK) as usize, node);
    }

    #[inline]
    fn alloc(&mut self, time: u32, event: E) -> u32 {
        let node = Node { time, next: NIL, event };
        if self.free == NIL {
            self.nodes.push(node);
            self.nodes.len() as u32 - 1
        } else {
            let i = self.free;
            self.free = self.nodes[i as usize].next;
            self.nodes[i as usize] = node;
            i
        }
    }

    /// Time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        if let Some(slot) = self.near.first_from(0) {
            return Some(self.block << BITS | slot as u64);
        }
        match self.far.first_from(((self.block + 1) & MASK) as usize) {
            Some(slot) => Some(u64::from(self.far_min[slot])),
            None => self.beyond.peek().map(|f| f.0.key >> 32),
        }
    }

    /// Removes and returns the next event, advancing the clock to it.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        let slot = match self.near.first_from(0) {
            Some(slot) => slot,
            None => {
                self.advance_block()?;
                self.near.first_from(0)?
            }
        };
        let i = self.near.head[slot];
        let node = self.nodes[i as usize];
        self.near.head[slot] = node.next;
        if node.next == NIL {
            self.near.tail[slot] = NIL;
            self.near.unmark(slot);
        }
        self.nodes[i as usize].next = self.free;
        self.free = i;
        self.len -= 1;
        self.now_secs = u64::from(node.time);
        Some((self.now_secs, node.event))
    }

    /// With the near wheel empty, moves to the next block holding events and spreads it over the
    /// near wheel; None when the queue is empty.
    fn advance_block(&mut self) -> Option<()> {
        let far_next = self.far.first_from(((self.block + 1) & MASK) as usize).map(|slot| {
            // The block in (block, block + 4096) with this slot.
            let ahead = (slot as u64).wrapping_sub(self.block) & MASK;
            self.block + ahead
        });
        let beyond_next = self.beyond.peek().map(|f| (f.0.key >> 32) >> BITS);
        self.block = match (far_next, beyond_next) {
            (Some(f), _) => f,
            (None, Some(b)) => b,
            (None, None) => return None,
        };
        // Events beyond that are now within reach go to the far wheel first (in key order), so that
        // they precede anything scheduled for the same second from now on.
        while let Some(f) = self.beyond.peek() {
            let time = f.0.key >> 32;
            if time >> BITS >= self.block + SLOTS as u64 {
                break;
            }
            let Reverse(Far { event, .. }) = self.beyond.pop()?;
            let slot = ((time >> BITS) & MASK) as usize;
            self.far_min[slot] = self.far_min[slot].min(time as u32);
            let node = self.alloc(time as u32, event);
            append(&mut self.far, &mut self.nodes, slot, node);
        }
        // The block's FIFO, in order, onto the near wheel's seconds.
        let slot = (self.block & MASK) as usize;
        let mut i = self.far.head[slot];
        self.far.head[slot] = NIL;
        self.far.tail[slot] = NIL;
        self.far_min[slot] = u32::MAX;
        self.far.unmark(slot);
        while i != NIL {
            let next = self.nodes[i as usize].next;
            self.nodes[i as usize].next = NIL;
            let second = (u64::from(self.nodes[i as usize].time) & MASK) as usize;
            append(&mut self.near, &mut self.nodes, second, i);
            i = next;
        }
        Some(())
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
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Appends node `i` (whose `next` is NIL) to FIFO `slot` of `wheel`.
#[inline]
fn append<E>(wheel: &mut Wheel, nodes: &mut [Node<E>], slot: usize, i: u32) {
    let tail = wheel.tail[slot];
    if tail == NIL {
        wheel.head[slot] = i;
        wheel.mark(slot);
    } else {
        nodes[tail as usize].next = i;
    }
    wheel.tail[slot] = i;
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
        // A hold model with ties, times in the same second, block and far wheel and beyond, pops
        // between schedules and clock moves without events (as arrivals do): the order must be
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
            if r % 7 == 0 {
                // Like an arrival: the clock moves to a time no later than the next event.
                let next = pending.first().map_or(now + 10_000, |p: &(u64, u64)| p.0);
                now += (r >> 8) % (next - now + 1);
                q.advance_to(now);
            } else if r % 3 != 0 || pending.is_empty() {
                let delay = match r >> 60 {
                    0..=4 => 0,
                    5..=9 => (r >> 8) % 60,
                    10..=12 => (r >> 8) % 10_000,
                    13..=14 => (r >> 8) % 5_000_000,
                    _ => (r >> 8) % 40_000_000,
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
