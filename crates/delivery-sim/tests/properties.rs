#![cfg(not(target_arch = "wasm32"))]
//! Invariants over random scenarios and fault sets.

use delivery_sim::inspect::{self, Decision};
use delivery_sim::scenario::{Broker, Fault, Network, Scenario};
use delivery_sim::{invariants, simulate, simulate_with, Acks, EventKind, Idem, Outcome, Settings};
use proptest::prelude::*;

mod common;

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop_oneof![Just("0"), Just("1"), Just("all")],
        0u32..4,
        1u32..6,
        prop_oneof![Just(None), Just(Some(false)), Just(Some(true))],
        // linger.ms, and batch.size: none (0), two or three records, Kafka's default.
        (
            0u64..25,
            prop_oneof![Just(0u64), Just(300), Just(400), Just(16_384)],
        ),
    )
        .prop_map(|(acks, retries, in_flight, idem, (linger, batch))| {
            let mut s = Settings::default();
            s.set("acks", acks);
            s.set("retries", &retries.to_string());
            s.set(
                "max.in.flight.requests.per.connection",
                &in_flight.to_string(),
            );
            s.set("request.timeout.ms", "300");
            s.set("delivery.timeout.ms", "1500");
            s.set("retry.backoff.ms", "20");
            s.set("linger.ms", &linger.to_string());
            s.set("batch.size", &batch.to_string());
            if let Some(i) = idem {
                s.set("enable.idempotence", if i { "true" } else { "false" });
            }
            s
        })
}

prop_compose! {
    fn scenario()(n in 1usize..25)(
        n in Just(n),
        faults in prop::collection::vec(common::fault(n, true), 0..6),
        producer in settings(),
        sync in any::<bool>(),
        seed in any::<u32>(),
        latency in 0u64..40,
        jitter in 0u64..20,
        request_loss in 0.0f64..0.4,
        response_loss in 0.0f64..0.4,
        interval in 0u64..30,
    ) -> Scenario {
        Scenario {
            seed: seed as u64,
            messages: (0..n).map(|i| format!("m{i}")).collect(),
            partitions: 1,
            interval_ms: interval,
            sync,
            producer,
            network: Network { latency_ms: latency, jitter_ms: jitter, request_loss, response_loss },
            broker: Broker { replicas: 2, replication_ms: 15, ..Broker::default() },
            faults,
            ..Scenario::new(&[], delivery_sim::Preset::AtLeastOnce)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(s in scenario()) {
        let Ok(t) = simulate(&s) else {
            // Only Kafka's own configuration errors may refuse a run.
            let e = simulate(&s).unwrap_err();
            prop_assert!(e.starts_with("Must set"), "unexpected error: {e}");
            return Ok(());
        };
        // Same input, same trace; and the same producer settings given apart from the
        // scenario (how the app runs its lanes) run the same.
        prop_assert_eq!(&simulate(&s).unwrap(), &t);
        let other = Scenario { producer: Settings::default(), ..s.clone() };
        prop_assert_eq!(&simulate_with(&other, &s.producer).unwrap(), &t);

        // Whatever the scenario: one outcome and one callback per message, the summary agrees
        // with the log, connections deliver in order and nothing passes a lost packet.
        prop_assert_eq!(invariants::check(&t), Ok(()));
        // The producer state the app shows (inspect) explains every answer the broker gave an
        // idempotent request, from the state before it: a duplicate is in the PID's window of
        // five with that offset, a stored batch was the next sequence, a rejected one names the
        // sequence the state expects.
        for (i, e) in t.events.iter().enumerate() {
            let EventKind::Decided { req, .. } = e.kind else { continue };
            let (before, _) = inspect::fold(&t, i, None);
            let (_, why) = inspect::fold(&t, i + 1, Some(req));
            let entry = |id: Idem| before.broker.iter().find(|p| p.pid == id.pid && p.epoch == id.epoch);
            match why {
                Some(Decision::InWindow { id, offset }) => {
                    prop_assert!(entry(id).is_some_and(|p| p.batches.iter().any(|b| (b.0, b.2) == (id.seq, offset))), "duplicate outside the window: {:?} {:?}", id, before.broker);
                }
                Some(Decision::Next { id, .. }) => {
                    if let Some(p) = entry(id) {
                        prop_assert_eq!(p.expects(), id.seq, "stored out of sequence: {:?}", before.broker);
                    }
                }
                Some(Decision::OutOfOrder { id, expected }) => {
                    prop_assert_eq!(entry(id).map_or(0, |p| p.expects()), expected);
                }
                _ => {}
            }
        }
        // acks=0 sends each message once (a restart sends the unacknowledged ones again).
        if t.config.acks == Acks::Zero {
            let sent: usize = t.events.iter().filter_map(|e| match e.kind {
                EventKind::Request { batch, .. } => Some(t.batches.get(batch as usize).len()),
                _ => None,
            }).sum();
            let restarts = s.faults.iter().any(|f| matches!(f, Fault::ProducerRestart { .. }));
            prop_assert!(restarts || sent == s.messages.len(), "acks=0 sent {} records for {} messages", sent, s.messages.len());
        }
    }

    #[test]
    fn scenario_reader_never_panics(text in "\\PC{0,200}") {
        let _ = delivery_sim::run_json(&text);
    }

    #[test]
    fn scenario_reader_survives_mangled_scenarios(cut in 0usize..400, junk in "[\\[\\]{}\",:0-9a-z -]{0,8}") {
        let base = include_str!("../../../scenarios/side-by-side.json");
        let cut = cut.min(base.len());
        let cut = (0..=cut).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{}{}", &base[..cut], junk, &base[cut..]);
        let _ = delivery_sim::run_json(&text);
    }
}

/// Long runs, where the engine's time-ordered lists (sends, timeouts, deadlines, replication)
/// are taken from while they grow and compact: no event may be lost or doubled on the way.
#[test]
fn long_runs_lose_no_scheduled_event() {
    for (sync, settings) in [
        (true, "acks=all\nenable.idempotence=true"),
        (true, "acks=1\nenable.idempotence=false\nretries=3"),
        (
            false,
            // batch.size=0: a request a record, so that the queue behind one request is long.
            "acks=all\nenable.idempotence=false\nmax.in.flight.requests.per.connection=1\nbatch.size=0",
        ),
    ] {
        // Each lost packet stalls the connection until request.timeout.ms: a short one keeps
        // the run sending instead of expiring the queue.
        let settings = format!("{settings}\nrequest.timeout.ms=200");
        let n = 3000;
        let s = Scenario {
            seed: 11,
            messages: (0..n).map(|i| format!("m{i}")).collect(),
            partitions: 1,
            interval_ms: 1,
            sync,
            producer: Settings::from_properties(&settings).unwrap().0,
            network: Network {
                latency_ms: 4,
                jitter_ms: 2,
                request_loss: 0.01,
                response_loss: 0.01,
            },
            broker: Broker {
                replicas: 2,
                replication_ms: 3,
                ..Broker::default()
            },
            faults: vec![],
            ..Scenario::new(&[], delivery_sim::Preset::AtLeastOnce)
        };
        let t = simulate(&s).unwrap();
        assert!(t.events.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
        let count = |f: &dyn Fn(&EventKind) -> bool| t.events.iter().filter(|e| f(&e.kind)).count();
        let sends: Vec<usize> = t
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Send { msg } => Some(msg),
                _ => None,
            })
            .collect();
        assert_eq!(
            sends,
            (0..n).collect::<Vec<_>>(),
            "{settings}: every send, once, in order"
        );
        // Sending one message at a time, every lost request or answer is one timeout; and every
        // message ends (acknowledged or failed), none left waiting.
        let lost = count(&|k| {
            matches!(
                k,
                EventKind::RequestLost { .. } | EventKind::ResponseLost { .. }
            )
        });
        let timeouts = count(&|k| matches!(k, EventKind::RequestTimeout { .. }));
        assert!(lost > 20, "{settings}: the run loses requests ({lost})");
        if sync {
            assert_eq!(timeouts, lost, "{settings}");
        }
        let ended = count(&|k| matches!(k, EventKind::Acked { .. } | EventKind::Failed { .. }));
        assert_eq!(
            ended, n,
            "{settings}: each message acknowledged or failed once"
        );
        assert!(t
            .outcomes
            .iter()
            .all(|o| *o != Outcome::Lost || settings.contains("acks=1")));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// With acks=all, min.insync.replicas 2 of 3 and clean elections, a record the producer was
    /// told is stored is never lost, whatever follower stops when (one at a time), for how long,
    /// and whenever the leader fails: Partition.appendRecordsToLeader refuses what the ISR
    /// cannot hold, and the high watermark waits for every in-sync replica.
    #[test]
    fn acks_all_with_two_in_sync_replicas_never_loses_an_acknowledged_record(
        n in 1usize..7,
        interval in 0u64..4_000,
        sync in any::<bool>(),
        idempotent in any::<bool>(),
        replication_ms in 1u64..40,
        downs in prop::collection::vec((1u32..3, 0u64..12_000, 1u64..15_000), 0..4),
        failover in prop::option::of(0u64..40_000),
        lag_max_ms in prop::sample::select(vec![400u64, 30_000]),
    ) {
        // One follower down at a time: each window starts after the previous one ended.
        let mut faults = Vec::new();
        let mut t = 0;
        for (replica, gap, len) in downs {
            let from_ms = t + gap;
            faults.push(Fault::ReplicaDown { replica, from_ms, to_ms: from_ms + len });
            t = from_ms + len + 1;
        }
        faults.extend(failover.map(|at_ms| Fault::LeaderFailover { at_ms }));
        let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let mut s = Scenario::new(&names.iter().map(String::as_str).collect::<Vec<_>>(), delivery_sim::Preset::AtLeastOnce);
        s.interval_ms = interval;
        s.sync = sync;
        s.broker = Broker {
            replicas: 3,
            replication_ms,
            min_insync: 2,
            lag_max_ms,
            ..Broker::default()
        };
        s.faults = faults;
        let mut settings = Settings::default();
        settings.set("acks", "all");
        settings.set("enable.idempotence", if idempotent { "true" } else { "false" });
        let t = simulate_with(&s, &settings).unwrap();
        invariants::check(&t).map_err(TestCaseError::fail)?;
        for e in &t.events {
            if let EventKind::Acked { msg, .. } = e.kind {
                prop_assert!(
                    t.log.iter().any(|r| r.msg == msg),
                    "{} was acknowledged at {} ms and is not in the log {:?}",
                    names[msg], e.t_ms, t.log.iter().map(|r| &names[r.msg]).collect::<Vec<_>>()
                );
            }
        }
    }

    /// Any replica faults, any settings, any acks: every run finishes and keeps the engine's
    /// invariants (what it says it stored is in the log, answers follow requests, ...).
    #[test]
    fn replica_faults_keep_every_invariant(
        n in 1usize..6,
        downs in prop::collection::vec((1u32..5, 0u64..20_000, 0u64..20_000), 0..5),
        slow in prop::option::of((1u32..5, 0u64..60_000)),
        failovers in prop::collection::vec(0u64..50_000, 0..3),
        replicas in 2u32..=5,
        min_insync in 1u32..=5,
        unclean in any::<bool>(),
        acks in prop::sample::select(vec!["0", "1", "all"]),
    ) {
        let mut faults: Vec<Fault> = downs
            .into_iter()
            .map(|(r, from_ms, len)| Fault::ReplicaDown { replica: 1 + (r - 1) % (replicas - 1), from_ms, to_ms: from_ms + len })
            .collect();
        faults.extend(slow.map(|(r, extra_ms)| Fault::ReplicaSlow { replica: 1 + (r - 1) % (replicas - 1), extra_ms }));
        faults.extend(failovers.into_iter().map(|at_ms| Fault::LeaderFailover { at_ms }));
        let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let mut s = Scenario::new(&names.iter().map(String::as_str).collect::<Vec<_>>(), delivery_sim::Preset::AtLeastOnce);
        s.sync = false;
        s.interval_ms = 2_000;
        s.broker = Broker { replicas, min_insync, unclean, ..Broker::default() };
        s.faults = faults;
        let mut settings = Settings::default();
        settings.set("acks", acks);
        let t = simulate_with(&s, &settings).unwrap();
        invariants::check(&t).map_err(TestCaseError::fail)?;
    }
}

#[cfg(feature = "partitions")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Topics of several partitions, any settings, any fault of one broker, keys or none, any
    /// record sizes: every invariant holds; a keyed record is in its key's partition (murmur2);
    /// every record of a batch is in the batch's partition; a request carries at most one
    /// batch of each partition; with idempotence and no restart, no record is stored twice.
    #[test]
    fn partitioned_runs_keep_every_invariant(
        base in scenario(),
        partitions in 2u32..6,
        keys in prop::collection::vec(prop::option::of(0u8..6), 25),
        sizes in prop::collection::vec(prop_oneof![Just(100u32), 1u32..20_000], 25),
    ) {
        let n = base.messages.len();
        let mut s = Scenario {
            partitions,
            keys: keys[..n].iter().map(|k| k.map(|k| format!("key-{k}"))).collect(),
            sizes: sizes[..n].to_vec(),
            broker: Broker::default(),
            ..base
        };
        s.faults.retain(|f| !f.replicated());
        let Ok(t) = simulate(&s) else {
            let e = simulate(&s).unwrap_err();
            prop_assert!(e.starts_with("Must set"), "unexpected error: {e}");
            return Ok(());
        };
        prop_assert_eq!(invariants::check(&t), Ok(()));
        for r in &t.log {
            if let Some(key) = s.key(r.msg) {
                prop_assert_eq!(r.partition, delivery_sim::partition::for_key(key, partitions));
            }
        }
        // Each request's batches, by request: none of a partition twice.
        let mut carried: Vec<Vec<u32>> = Vec::new();
        for e in &t.events {
            let (req, batch) = match e.kind {
                EventKind::Request { req, batch, .. } | EventKind::Carries { req, batch, .. } => (req, batch),
                _ => continue,
            };
            if carried.len() <= req as usize {
                carried.resize(req as usize + 1, Vec::new());
            }
            let p = t.batches.partition(batch as usize);
            prop_assert!(!carried[req as usize].contains(&p), "request {} carries partition {} twice", req, p);
            carried[req as usize].push(p);
        }
        // Within one producer id and epoch nothing is stored twice (`invariants::check`); an
        // epoch bump renumbers batches in flight, which may have been written (KIP-360), so
        // only a run without one promises no duplicate at all.
        let new_epoch = t.events.iter().any(|e| matches!(e.kind, EventKind::ProducerRestart | EventKind::EpochBumped { .. }));
        if t.config.enable_idempotence && !new_epoch {
            prop_assert_eq!(t.summary.duplicates, 0);
        }
        // The producer state the app shows explains each partition's answers from that
        // partition's table.
        for (i, e) in t.events.iter().enumerate() {
            let EventKind::Decided { req, batch, .. } = e.kind else { continue };
            let p = t.batches.partition(batch as usize);
            let (before, _) = inspect::fold(&t, i, None);
            let (_, why) = inspect::fold(&t, i + 1, Some(req));
            let entry = |id: Idem| before.broker.iter().find(|e| (e.partition, e.pid, e.epoch) == (p, id.pid, id.epoch));
            match why {
                Some(Decision::InWindow { id, offset }) => {
                    prop_assert!(entry(id).is_some_and(|e| e.batches.iter().any(|b| (b.0, b.2) == (id.seq, offset))), "duplicate outside partition {}'s window: {:?}", p, before.broker);
                }
                Some(Decision::Next { id, .. }) => {
                    if let Some(e) = entry(id) {
                        prop_assert_eq!(e.expects(), id.seq);
                    }
                }
                Some(Decision::OutOfOrder { id, expected }) => {
                    prop_assert_eq!(entry(id).map_or(0, |e| e.expects()), expected);
                }
                _ => {}
            }
        }
    }
}

#[cfg(all(feature = "transactions", not(feature = "lean")))]
prop_compose! {
    /// A transactional producer over any one-broker scenario: the messages cut into
    /// transactions at random, each committed or aborted (the last maybe never ended), any
    /// faults and loss, a short or the default transaction.timeout.ms.
    fn transactional()(base in scenario())(
        cuts in prop::collection::vec(any::<bool>(), base.messages.len()),
        ends in prop::collection::vec(prop_oneof![3 => Just("commit"), 1 => Just("abort")], base.messages.len()),
        last_open in prop::bool::weighted(0.2),
        timeout in prop_oneof![Just(60_000u64), 200u64..3_000],
        in_flight in 1u32..6,
        parts in prop_oneof![3 => Just(1u32), 1 => 2u32..4],
        base in Just(base),
    ) -> Scenario {
        let mut s = Scenario { broker: Broker::default(), ..base };
        // Sometimes a topic of a few partitions, the records keyed across them: a transaction
        // then writes a marker to each partition it added.
        #[cfg(feature = "partitions")]
        if parts > 1 {
            s.partitions = parts;
            s.keys = (0..s.messages.len()).map(|i| Some(format!("k{}", i % 5))).collect();
        }
        #[cfg(not(feature = "partitions"))]
        let _ = parts;
        s.faults.retain(|f| !f.replicated());
        s.producer = Settings::default();
        s.producer.set("transactional.id", "tx");
        s.producer.set("transaction.timeout.ms", &timeout.to_string());
        s.producer.set("max.in.flight.requests.per.connection", &in_flight.to_string());
        s.producer.set("request.timeout.ms", "300");
        s.producer.set("delivery.timeout.ms", "1500");
        s.producer.set("retry.backoff.ms", "20");
        let n = s.messages.len();
        let mut txns = Vec::new();
        let mut first = 0;
        for i in 0..n {
            if i + 1 == n || cuts[i] {
                let end = if i + 1 == n && last_open { "none" } else { ends[i] };
                let names: Vec<String> =
                    s.messages[first..=i].iter().map(|m| format!("\"{m}\"")).collect();
                txns.push(format!("{{\"messages\": [{}], \"end\": \"{end}\"}}", names.join(",")));
                first = i + 1;
            }
        }
        // Through the scenario format, as a user writes transactions.
        let text = format!(
            "{{\"messages\": [{}], \"transactions\": [{}]}}",
            s.messages.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(","),
            txns.join(",")
        );
        s.transactions = Scenario::from_json_text(&text).unwrap().transactions;
        s
    }
}

#[cfg(all(feature = "transactions", not(feature = "lean")))]
proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Exactly once end to end: whatever the loss, broker failures, restarts and timeouts, a
    /// read_committed consumer reads each message at most once, never a record of an aborted
    /// or unfinished transaction, never a marker (the invariants read this again from the log
    /// and its markers), and reads a message exactly when its outcome is delivered.
    #[test]
    fn read_committed_reads_each_message_at_most_once(s in transactional()) {
        let t = match simulate(&s) {
            Ok(t) => t,
            Err(e) => {
                prop_assert!(e.contains("events"), "{e}");
                return Ok(());
            }
        };
        prop_assert_eq!(invariants::check(&t), Ok(()));
        // The marker that ends each record's transaction, found by halving, is the one a scan
        // of every marker finds.
        for r in &t.log {
            let scan = r.idem.and_then(|id| {
                (0..t.markers.len())
                    .filter(|&k| {
                        let m = &t.markers[k];
                        m.partition == r.partition && m.pid == id.pid && m.offset > r.offset
                    })
                    .min_by_key(|&k| t.markers[k].offset)
            });
            prop_assert_eq!(t.ended_by(r), scan, "record at offset {}", r.offset);
        }
        let c = t.consumers.as_ref().expect("a transactional run has consumers");
        for (m, name) in t.messages.iter().enumerate() {
            let reads = c.read_committed.iter().filter(|&&x| x == m).count();
            prop_assert!(reads <= 1, "{name} read {reads} times");
            prop_assert_eq!(reads == 1, t.outcomes[m] == Outcome::Delivered, "{}: {:?}", name, t.outcomes[m]);
        }
        // The other isolation level reads every stored record.
        prop_assert_eq!(c.read_uncommitted.len(), t.log.len());
        // Over the run, each level only reads on: what it read at any moment is where what it
        // reads later begins (the last stable offset never moves back, a commit is final). The
        // consumer reads partition after partition, so with several this holds for each one
        // (and the list of all of them grows in the middle).
        let end = delivery_sim::inspect::consumers_at(&t, u64::MAX);
        for step in (0..8).filter(|_| t.partitions <= 1) {
            let now = t.end_ms() * step / 8;
            let then = delivery_sim::inspect::consumers_at(&t, now);
            prop_assert!(end.read_committed.starts_with(&then.read_committed), "at {now} ms");
            prop_assert!(end.read_uncommitted.starts_with(&then.read_uncommitted), "at {now} ms");
        }
    }
}
