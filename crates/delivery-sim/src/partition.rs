//! Which partition a record goes to, as the Java client decides: a keyed record by the murmur2
//! hash of its key (`BuiltInPartitioner.partitionForKey`), a record without a key by the
//! uniform sticky partitioner of KIP-794 (`BuiltInPartitioner`), which stays on one partition
//! until it has produced `batch.size` bytes there, then draws the next one, favouring the
//! partitions with the shortest queues (adaptive partitioning, on by default).

use crate::rng;

/// Utils.murmur2: the 32-bit MurmurHash2 with Kafka's seed, over the key's UTF-8 bytes (the
/// StringSerializer's encoding).
pub fn murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    let mut h: u32 = 0x9747_b28c ^ data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M) ^ k;
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate().rev() {
            h ^= (b as u32) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// BuiltInPartitioner.partitionForKey: `Utils.toPositive(murmur2(key)) % numPartitions`.
pub fn for_key(key: &str, partitions: u32) -> u32 {
    // Utils.toPositive: the sign bit cleared.
    (murmur2(key.as_bytes()) & 0x7fff_ffff) as u32 % partitions
}

/// BuiltInPartitioner for the topic: the sticky partition and the bytes produced to it.
#[derive(Debug, Clone)]
pub struct Sticky {
    partitions: u32,
    /// max(1, batch.size): how much to produce to a partition before switching.
    batch_size: u64,
    current: Option<u32>,
    produced: u64,
    /// Switches so far: what the next random draw is keyed by.
    draws: u64,
    /// The cumulative frequency table of the last queue sizes (PartitionLoadStats), or none:
    /// uniform.
    load: Vec<u64>,
}

impl Sticky {
    pub fn new(partitions: u32, batch_size: u64) -> Sticky {
        Sticky {
            partitions: partitions.max(1),
            batch_size: batch_size.max(1),
            current: None,
            produced: 0,
            draws: 0,
            load: Vec::new(),
        }
    }

    /// peekCurrentPartitionInfo: the sticky partition, drawn on first use.
    pub fn current(&mut self, seed: u64) -> u32 {
        match self.current {
            Some(p) => p,
            None => {
                let p = self.next_partition(seed);
                self.current = Some(p);
                p
            }
        }
    }

    /// nextPartition: uniform, or weighted by the load stats (a random number below the
    /// table's last entry picks the first entry strictly greater). Kafka draws from
    /// ThreadLocalRandom; the simulation from the seed.
    fn next_partition(&mut self, seed: u64) -> u32 {
        self.draws += 1;
        // Utils.toPositive(nextInt()): 31 random bits.
        let random = rng::hash(seed, 0x5717_c4e5 ^ (self.draws << 8)) >> 33;
        match self.load.last() {
            None => (random % self.partitions as u64) as u32,
            Some(&total) => {
                let r = random % total;
                self.load.iter().position(|&c| c > r).unwrap_or(0) as u32
            }
        }
    }

    /// updatePartitionInfo after an append of `appended` bytes: switch once batch.size bytes
    /// went to the partition and its deque's last batch is full (`enable`), or at twice that.
    pub fn appended(&mut self, seed: u64, appended: u64, enable: bool) {
        if self.current.is_none() {
            return;
        }
        self.produced += appended;
        if self.produced >= self.batch_size && enable || self.produced >= 2 * self.batch_size {
            self.current = Some(self.next_partition(seed));
            self.produced = 0;
        }
    }

    /// updatePartitionLoadStats from the partitions' queue sizes (RecordAccumulator's
    /// partitionReady, before every drain): none while every queue is the same length or not
    /// every partition has had a batch yet (`sizes` shorter than the partitions); else each
    /// partition weighted by max + 1 - its queue size, as a running sum.
    pub fn load_stats<I: ExactSizeIterator<Item = u32> + Clone>(&mut self, sizes: I) {
        self.load.clear();
        if sizes.len() < 2 || sizes.len() < self.partitions as usize {
            return;
        }
        let max = sizes.clone().max().unwrap_or(0);
        if sizes.clone().all(|s| s == max) {
            return;
        }
        let mut sum = 0;
        for s in sizes {
            sum += (max + 1 - s) as u64;
            self.load.push(sum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UtilsTest.testMurmur2, Kafka's own vectors.
    #[test]
    fn murmur2_matches_kafkas_utils_test() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973932308),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
            ),
            (b"abc", 479470107),
        ];
        for (data, want) in cases {
            assert_eq!(murmur2(data), want, "{}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn keys_land_on_the_partition_of_their_positive_hash() {
        // toPositive(-973932308) = 1173551340; % 3 = 0.
        assert_eq!(for_key("21", 3), 1173551340 % 3);
        assert_eq!(for_key("abc", 7), 479470107 % 7);
        assert_eq!(for_key("anything", 1), 0);
    }

    #[test]
    fn the_sticky_partition_switches_after_batch_size_bytes_on_a_full_batch() {
        let mut s = Sticky::new(3, 300);
        let first = s.current(7);
        s.appended(7, 161, true);
        assert_eq!(s.current(7), first, "161 of 300 bytes: stays");
        s.appended(7, 100, false);
        s.appended(7, 100, false);
        assert_eq!(
            s.current(7),
            first,
            "361 bytes but the batch is not full: stays"
        );
        assert_eq!(s.draws, 1);
        s.appended(7, 0, true);
        assert_eq!(s.draws, 2, "full now: draws again");
        let mut t = Sticky::new(3, 100);
        t.current(1);
        t.appended(1, 200, false);
        assert_eq!(
            t.draws, 2,
            "twice batch.size switches even while the batch is open"
        );
    }

    #[test]
    fn load_stats_favour_short_queues() {
        // BuiltInPartitioner's own example: queue sizes 0 3 1 -> table 4 5 8.
        let mut s = Sticky::new(3, 100);
        s.load_stats([0, 3, 1].into_iter());
        assert_eq!(s.load, [4, 5, 8]);
        s.load_stats([2, 2, 2].into_iter());
        assert!(s.load.is_empty(), "equal queues: uniform");
        s.load_stats([0, 3].into_iter());
        assert!(s.load.is_empty(), "not every partition has a deque yet");
        let mut hits = [0u32; 3];
        s.load_stats([0, 3, 1].into_iter());
        for seed in 0..2000 {
            s.current = None;
            hits[s.current(seed) as usize] += 1;
        }
        // 4 : 1 : 3 of 8.
        assert!(hits[0] > 850 && hits[0] < 1150, "{hits:?}");
        assert!(hits[1] > 150 && hits[1] < 350, "{hits:?}");
    }
}
