use super::decode::*;
use super::encode::*;
use super::*;

fn defaults() -> Defaults {
    Defaults {
        lang: Lang::En,
        dark: false,
    }
}

#[test]
fn the_default_view_has_a_short_link() {
    let q = encode(&Doc::default());
    assert_eq!(q, "lang=en&theme=light");
    let (back, problems) = decode(&q, defaults());
    assert!(problems.is_empty());
    assert_eq!(back, State::default());
}

#[test]
fn a_hand_written_link_reads() {
    let (s, problems) = decode(
        "m=A,B,C,D&f=req.B.1,ack.D.2,down.100.200&l1=acks:1,retries:0&lang=ko&theme=dark&step=3",
        defaults(),
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(s.doc.scenario.messages.len(), 4);
    assert_eq!(
        s.doc.scenario.faults[1],
        Fault::DropResponse { msg: 3, attempt: 2 }
    );
    assert_eq!(s.doc.lanes[1].settings.get("acks"), Some("1"));
    assert_eq!((s.doc.lang, s.doc.dark, s.doc.step), (Lang::Ko, true, 3));
}

#[test]
fn bad_parts_are_named_and_the_rest_kept() {
    let (s, problems) = decode(
        "lat=abc&f=req.Z.1,ack.B.2&l0=ack:all,retries:0&lang=fr&wat=1&seed=42",
        defaults(),
    );
    assert_eq!(s.doc.scenario.seed, 42);
    assert_eq!(
        s.doc.scenario.faults,
        [Fault::DropResponse { msg: 1, attempt: 2 }]
    );
    assert_eq!(s.doc.lanes[0].settings.get("retries"), Some("0"));
    let all = problems.join("\n");
    for want in [
        "`lat=abc`",
        "message `Z`",
        #[cfg(not(feature = "embed"))]
        "did you mean `acks`?",
        "`lang=fr`",
        "unknown parameter `wat`",
    ] {
        assert!(all.contains(want), "missing {want} in {all}");
    }
    // The embed page opens a key it does not model in the app, which names it.
    assert_eq!(s.doc.scenario.needs_full_engine(), cfg!(feature = "embed"));
}

#[cfg(feature = "workshop")]
#[test]
fn an_exercise_link_opens_fresh_unless_it_holds_work() {
    let (s, problems) = decode("ex=03-store-b-once&lang=ko", defaults());
    assert!(problems.is_empty());
    assert_eq!(s.doc.exercise.as_deref(), Some("03-store-b-once"));
    assert!(exercise_fresh("ex=03-store-b-once&lang=ko"));
    let (s, _) = decode("ex=03-store-b-once&f=ack.B.1&lanes=1", defaults());
    assert_eq!(s.doc.exercise.as_deref(), Some("03-store-b-once"));
    assert!(
        !exercise_fresh("ex=03-store-b-once&f=ack.B.1&lanes=1"),
        "a link with a scenario is work in progress"
    );
    let (s, problems) = decode("ex=../../etc&m=A,B", defaults());
    assert_eq!(s.doc.exercise, None);
    assert_eq!(problems, ["`ex=../../etc`: not an exercise name"]);
    assert_eq!(s.doc.scenario.messages, ["A", "B"], "the rest is kept");
}

#[test]
fn an_oversized_link_is_cut_and_said() {
    let q = format!("seed=5&{}", "x=1&".repeat(2_500));
    let (s, problems) = decode(&q, defaults());
    assert_eq!(s.doc.scenario.seed, 5);
    assert!(problems[0].contains("characters"));
}

#[test]
fn names_with_spaces_commas_and_64_characters_survive_a_link() {
    let mut s = State::default();
    let long = "x".repeat(64);
    s.doc.scenario.messages = vec!["order 1".into(), "a,b".into(), long.clone(), "가 나".into()];
    s.doc.scenario.faults = vec![Fault::DropResponse { msg: 1, attempt: 1 }];
    let (back, problems) = decode(&encode(&s.doc), defaults());
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(back.doc.scenario.messages, s.doc.scenario.messages);
    assert_eq!(back.doc.scenario.faults, s.doc.scenario.faults);
    // One character more than the engine takes is named, and the rest of the link kept.
    let (back, problems) = decode(&format!("m=A,{}&seed=9", "x".repeat(65)), defaults());
    assert!(
        problems[0].contains("must have 1 to 64 characters"),
        "{problems:?}"
    );
    assert_eq!(back.doc.scenario.seed, 9);
}

#[test]
fn a_lane_named_twice_is_shown_once() {
    let (s, problems) = decode("lanes=0,1,0,2,1", defaults());
    assert_eq!(s.doc.visible, [0, 1, 2]);
    assert!(problems.is_empty());
}

#[test]
fn the_message_for_a_bad_fault_names_every_kind() {
    let tokens = FaultKind::ALL.map(FaultKind::token).join(", ");
    let (_, problems) = decode("f=oops.B.1", defaults());
    assert!(problems[0].contains(&format!("({tokens})")), "{problems:?}");
}

/// The partitions story's keys come with it and follow its messages by name; the link
/// names them only when they differ.
#[cfg(feature = "partitions")]
#[test]
fn the_partitions_story_link_carries_its_keys_only_when_changed() {
    let (s, problems) = decode("story=7&lang=en", defaults());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(encode(&s.doc), "story=7&lang=en&theme=light");
    let (s, _) = decode("story=7&m=D,A,X", defaults());
    let k = |k: &str| Some(k.to_string());
    assert_eq!(s.doc.scenario.keys, [k("k2"), k("k1"), None]);
    assert!(!encode(&s.doc).contains("keys"), "{}", encode(&s.doc));
    let (s, _) = decode("story=7&keys=", defaults());
    assert!(s.doc.scenario.keys.is_empty());
    assert!(encode(&s.doc).contains("&keys=&"), "{}", encode(&s.doc));
}

#[cfg(feature = "partitions")]
#[test]
fn a_link_names_partitions_keys_and_sizes() {
    let (s, problems) = decode("m=A,B,C&parts=3&keys=k1,,.&bytes=100,2000,1", defaults());
    assert!(problems.is_empty(), "{problems:?}");
    let sc = &s.doc.scenario;
    assert_eq!(sc.partitions, 3);
    assert_eq!(sc.keys, [Some("k1".into()), None, Some(String::new())]);
    assert_eq!(sc.sizes, [100, 2000, 1]);
    assert_eq!(decode(&encode(&s.doc), defaults()).0.doc, s.doc);
    let (s, problems) = decode("m=A,B&keys=a,b,c&parts=0&bytes=5", defaults());
    assert_eq!(s.doc.scenario.partitions, 1);
    assert!(s.doc.scenario.keys.is_empty() && s.doc.scenario.sizes.is_empty());
    let all = problems.join("\n");
    assert!(all.contains("3 keys for 2 messages"), "{all}");
    assert!(all.contains("from 1 to 64"), "{all}");
    assert!(all.contains("1 sizes for 2 messages"), "{all}");
}

#[test]
fn a_long_link_of_korean_text_is_cut_between_characters() {
    // 3,000 three-byte characters: MAX_QUERY falls inside one of them.
    let q = format!("m=A,B&lang=ko&k={}", "가".repeat(3_000));
    assert!(!q.is_char_boundary(MAX_QUERY));
    let (s, problems) = decode(&q, defaults());
    assert_eq!(s.doc.scenario.messages, ["A", "B"]);
    assert!(problems[0].contains("characters"), "{problems:?}");
}

#[cfg(txn)]
#[test]
fn transactions_are_in_the_link_and_a_bad_cut_is_named() {
    let q = "m=A,B,C&tx=2c,1n&coord=300&lanes=2,3&l3=transactional.id:app-1";
    let (s, problems) = decode(q, defaults());
    assert!(problems.is_empty(), "{problems:?}");
    let sc = &s.doc.scenario;
    assert_eq!(sc.transactions.len(), 2);
    assert_eq!((sc.transactions[1].first, sc.transactions[1].len), (2, 1));
    assert_eq!(sc.transactions[1].end.name(), "none");
    assert_eq!(sc.broker.coordinator_ms, 300);
    assert_eq!(s.doc.visible, [2, 3]);
    assert_eq!(
        s.doc.lanes[3].settings.get("transactional.id"),
        Some("app-1")
    );
    let back = encode(&s.doc);
    assert!(
        back.contains("tx=2c,1n") && back.contains("coord=300"),
        "{back}"
    );
    for (bad, why) in [
        ("tx=2c", "hold 2 messages, not 3"),
        ("tx=1n,2c", "only the last"),
        ("tx=3x", "c, a or n"),
        ("tx=0c,3c", "1 message or more"),
        ("tx=2가", "c, a or n"),
        ("tx=1c,2%EA%B0%80", "c, a or n"),
    ] {
        let (s, problems) = decode(&format!("m=A,B,C&{bad}"), defaults());
        assert!(s.doc.scenario.transactions.is_empty(), "{bad}");
        assert!(
            problems.len() == 1 && problems[0].contains(why),
            "{bad}: {problems:?}"
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decoding_anything_never_panics(q in "\\PC{0,300}") {
            let _ = decode(&q, defaults());
        }

        #[test]
        fn decoding_any_transactions_or_lanes_never_panics(v in "\\PC{0,40}") {
            let _ = decode(&format!("m=A,B,C&tx={v}&lanes={v}&coord={v}&l3={v}"), defaults());
        }

        #[test]
        fn decoding_mangled_links_never_panics(cut in 0usize..200, junk in "[%.,:&=a-zA-Z0-9]{0,12}") {
            let base = "story=1&m=A,B%2CC,D&f=req.B.1,delay.D.2.500,failover.30&l2=acks:all,enable.idempotence:true&rl=2.5&step=2";
            let cut = cut.min(base.len());
            let _ = decode(&format!("{}{}{}", &base[..cut], junk, &base[cut..]), defaults());
        }

        #[test]
        fn encode_then_decode_is_identity(
            // The engine's rule: any characters, 1 to 64 of them (spaces and commas too).
            names in prop::collection::vec("[A-Za-z0-9가-힣.,: %&=+#/-]{1,64}", 1..6),
            seed in 0u64..1_000_000,
            net in (0u64..1000, 0u64..100, 0u32..100, 0u32..100, 0u64..5000),
            broker in (1u32..=5, 0u64..1000, 1u32..4, any::<bool>(), 1u64..60_000, 1u64..60_000),
            story in 0usize..Story::ALL.len(),
            step in prop::option::of(0usize..50),
            range in prop::option::of((0usize..20, prop::option::of(20usize..60))),
            visible in prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..=4),
            flags in (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
            retries in prop::option::of(0u32..10),
            faults in prop::collection::vec((0usize..FaultKind::ALL.len(), 1u32..4, 0u64..100_000, 0usize..3), 0..4),
            ex in prop::option::of("[a-z0-9-]{1,20}"),
            txn in (prop::collection::vec((1usize..4, 0usize..3), 0..5), 0u64..=60_000),
            topic in (1u32..=64, prop::collection::vec(prop::option::of("[A-Za-z0-9가-힣.,: %&=+#/-]{0,20}"), 6), prop::collection::vec(1u32..=1_000_000, 6), any::<bool>()),
        ) {
            // Every field of the document a link carries, none left at its default.
            let (ko, dark, embed, sync) = flags;
            let mut names = names;
            names.sort();
            names.dedup();
            let mut d = Doc {
                story: Story::ALL[story],
                ..Doc::default()
            };
            d.scenario = d.story.scenario();
            if let Ok(n) = crate::state::check_names(names) {
                d.scenario.messages = n;
                // Every kind of fault, with its numbers: one vocabulary for links.
                d.scenario.faults = faults
                    .iter()
                    .map(|&(k, attempt, ms, e)| {
                        let like = Fault::ErrorResponse {
                            msg: d.scenario.messages.len() - 1,
                            attempt,
                            error: KafkaError::SCRIPTABLE[e],
                        };
                        match FaultKind::ALL[k].like(&like) {
                            Fault::DelayResponse { msg, attempt, .. } => Fault::DelayResponse { msg, attempt, ms },
                            Fault::LeaderFailover { .. } => Fault::LeaderFailover { at_ms: ms },
                            Fault::ReplicaDown { .. } => Fault::ReplicaDown { replica: attempt, from_ms: ms, to_ms: ms + 1 },
                            Fault::ReplicaSlow { .. } => Fault::ReplicaSlow { replica: attempt, extra_ms: ms },
                            f => f,
                        }
                    })
                    .collect();
            }
            d.scenario.seed = seed;
            let (lat, jit, request_loss, response_loss, gap) = net;
            d.scenario.network.latency_ms = lat;
            d.scenario.network.jitter_ms = jit;
            d.scenario.network.request_loss = request_loss as f64 / 100.0;
            d.scenario.network.response_loss = response_loss as f64 / 100.0;
            d.scenario.interval_ms = gap;
            d.scenario.sync = sync;
            d.scenario.broker.replicas = broker.0;
            d.scenario.broker.replication_ms = broker.1;
            // The replicas' settings and faults, which the embed page does not hold (a link
            // with replicas leaves it for the app).
            #[cfg(feature = "embed")]
            {
                d.scenario.faults.retain(|f| !f.replicated());
                // The topic's settings open the view in the app.
                let _ = topic;
            }
            #[cfg(not(feature = "embed"))]
            {
                d.scenario.broker.min_insync = broker.2;
                d.scenario.broker.unclean = broker.3;
                d.scenario.broker.lag_max_ms = broker.4;
                d.scenario.broker.session_timeout_ms = broker.5;
                // The topic: partitions, each message's key (the empty key too) and size.
                let (parts, keys, sizes, sized) = topic;
                #[cfg(feature = "partitions")]
                {
                    let n = d.scenario.messages.len();
                    d.scenario.partitions = parts;
                    d.scenario.keys = if keys[..n].iter().any(Option::is_some) {
                        keys[..n].to_vec()
                    } else {
                        Vec::new()
                    };
                    d.scenario.sizes = if sized { sizes[..n].to_vec() } else { Vec::new() };
                }
                #[cfg(not(feature = "partitions"))]
                let _ = (parts, keys, sizes, sized);
                for f in &d.scenario.faults {
                    let needed = match *f {
                        Fault::LeaderFailover { .. } => 2,
                        Fault::ReplicaDown { replica, .. } | Fault::ReplicaSlow { replica, .. } => replica + 1,
                        _ => 1,
                    };
                    d.scenario.broker.replicas = d.scenario.broker.replicas.max(needed);
                }
            }
            d.step = step.unwrap_or(usize::MAX);
            if let Some((from, to)) = range {
                d.range = (from, to.unwrap_or(usize::MAX));
            }
            // The lanes this page has (a fourth with transactions).
            d.visible = visible.into_iter().filter(|&v| v < d.lanes.len()).collect();
            if d.visible.is_empty() {
                d.visible = vec![0];
            }
            // The application's transactions: cut into pieces of 1 to 3 messages (the last
            // piece takes the rest), each ending any way (only the last may stay open);
            // a coordinator that answers late; the transactional lane's settings.
            #[cfg(txn)]
            {
                use delivery_sim::scenario::{Transaction, TxnEnd};
                let (cuts, coordinator_ms) = txn;
                let n = d.scenario.messages.len();
                d.scenario.transactions.clear();
                let mut first = 0;
                for (i, &(len, end)) in cuts.iter().enumerate() {
                    if first == n {
                        break;
                    }
                    let len = if i + 1 == cuts.len() { n - first } else { len.min(n - first) };
                    let end = [TxnEnd::Commit, TxnEnd::Abort, TxnEnd::None][end];
                    d.scenario.transactions.push(Transaction { first, len, end });
                    first += len;
                }
                if first != n {
                    d.scenario.transactions.clear();
                }
                let last = d.scenario.transactions.len().saturating_sub(1);
                for t in &mut d.scenario.transactions[..last] {
                    if t.end == TxnEnd::None {
                        t.end = TxnEnd::Commit;
                    }
                }
                d.scenario.broker.coordinator_ms = coordinator_ms;
                d.lanes[3].settings.set("transaction.timeout.ms", "15000");
            }
            #[cfg(not(txn))]
            let _ = txn;
            d.embed = embed;
            d.lang = if ko { Lang::Ko } else { Lang::En };
            d.dark = dark;
            if let Some(r) = retries {
                d.lanes[1].settings.set("retries", &r.to_string());
            }
            #[cfg(feature = "workshop")]
            {
                d.exercise = ex;
            }
            #[cfg(not(feature = "workshop"))]
            let _ = ex;
            let (back, problems) = decode(&encode(&d), defaults());
            prop_assert!(problems.is_empty(), "{:?}", problems);
            prop_assert_eq!(back.doc, d);
        }
    }
}

/// docs/format.md shows a link token for every fault kind: each reads as that kind and is
/// written back the same.
#[test]
fn the_documented_fault_tokens_read_and_write_back() {
    let doc = include_str!("../../docs/format.md").replace('\n', " ");
    let at = doc
        .find("In links, faults are written")
        .expect("the sentence");
    let sentence = &doc[at..at + doc[at..].find(". ").expect("its end")];
    let tokens: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    let names: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
    let mut kinds = Vec::new();
    for token in &tokens {
        let f = tokens::parse_fault(token, &names).unwrap_or_else(|e| panic!("{token}: {e}"));
        // (The embed page reads a follower's fault only to open the view in the app.)
        if !(cfg!(feature = "embed") && f.replicated()) {
            assert_eq!(tokens::fault_token(&f, &names), *token);
        }
        kinds.push(f.kind());
    }
    for kind in FaultKind::ALL {
        assert!(kinds.contains(&kind), "no example of {}", kind.name());
    }
}
