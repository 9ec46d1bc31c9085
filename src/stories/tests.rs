use super::locate::*;
use super::*;
use delivery_sim::simulate;

fn trace_of(story: Story, lane: usize) -> Trace {
    let mut s = story.scenario();
    s.producer = story.settings(Preset::LANES[lane]);
    simulate(&s).unwrap()
}

fn lane_trace(story: Story) -> Trace {
    trace_of(story, story.lane().unwrap())
}

#[test]
fn every_story_step_is_found_in_order() {
    for &story in Story::ALL.iter().filter(|s| !s.steps().is_empty()) {
        let times: Vec<u64> = story
            .steps()
            .iter()
            .map(|s| {
                let (lane, find) = s.find.lane(story.lane().unwrap());
                locate(&trace_of(story, lane), find)
                    .unwrap_or_else(|| panic!("{story:?}: {:?}", s.find))
                    .0
            })
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{story:?}: {times:?}"
        );
    }
}

/// The replicas story as it is told: acks=1 hears success for C and D and loses them in the
/// unclean election; acks=all is refused C and D (NOT_ENOUGH_REPLICAS until
/// delivery.timeout.ms), tells the application, and keeps everything it acknowledged.
#[cfg(not(feature = "embed"))]
#[test]
fn the_replicas_story_loses_only_what_acks_1_acknowledged() {
    use delivery_sim::Outcome;
    let story = Story::Replicas;
    let acks1 = trace_of(story, 0);
    assert_eq!(acks1.config.acks, delivery_sim::Acks::One);
    assert_eq!(acks1.log_names(), ["A", "B"]);
    assert_eq!(acks1.outcomes[2..], [Outcome::Lost, Outcome::Lost]);
    for lane in [1, 2] {
        let all = trace_of(story, lane);
        assert_eq!(all.log_names(), ["A", "B"], "lane {lane}");
        assert_eq!(all.outcomes[2..], [Outcome::Failed, Outcome::Failed]);
        let refused = all.events.iter().filter(|e| {
            matches!(
                e.kind,
                EventKind::Decided {
                    answer: Answer::Rejected(delivery_sim::KafkaError::NotEnoughReplicas),
                    ..
                }
            )
        });
        assert!(
            refused.count() > 100,
            "lane {lane}: retried until the timeout"
        );
    }
    // The election found nobody in sync, and took follower 2 from outside the ISR.
    assert!(acks1.events.iter().any(|e| matches!(
        e.kind,
        EventKind::LeaderElected {
            replica: Some(2),
            unclean: true
        }
    )));
}

/// The batches story as it is told: linger.ms 0 sends three requests and reorders; with
/// linger.ms 5 one request carries A, B and C, lost and retried (or, with acks=0, lost)
/// together.
#[cfg(not(feature = "embed"))]
#[test]
fn the_batches_story_sends_one_request_or_three() {
    let first_requests = |t: &Trace| -> Vec<usize> {
        t.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Request {
                    batch, attempt: 1, ..
                } => Some(t.batches.get(batch as usize).len()),
                _ => None,
            })
            .collect()
    };
    let story = Story::Batches;
    let (zero, linger0, idem) = (trace_of(story, 0), trace_of(story, 1), trace_of(story, 2));
    assert_eq!(linger0.config.linger_ms, 0);
    assert_eq!(first_requests(&linger0), [1, 1, 1]);
    assert_eq!(linger0.log_names(), ["A", "C", "B"]);
    assert_eq!(first_requests(&idem), [3]);
    assert_eq!(idem.log_names(), ["A", "B", "C"]);
    assert_eq!(first_requests(&zero), [3]);
    assert!(zero.log_names().is_empty());
}

/// The partitions story as it is told: the CLI's golden, whose expected logs it shows.
#[cfg(feature = "partitions")]
#[test]
fn the_partitions_story_is_the_golden_and_keeps_order_per_partition() {
    let golden =
        Scenario::from_json_text(include_str!("../../scenarios/order-per-partition.json")).unwrap();
    let mut told = Story::Partitions.scenario();
    told.name.clone_from(&golden.name);
    assert_eq!(told.messages, golden.messages);
    let per_partition = |t: &Trace| -> Vec<(u32, String)> {
        t.log
            .iter()
            .map(|r| (r.partition, t.messages[r.msg].clone()))
            .collect()
    };
    for lane in [1, 2] {
        let mut g = golden.clone();
        g.producer = Preset::LANES[lane].settings();
        assert_eq!(
            per_partition(&trace_of(Story::Partitions, lane)),
            per_partition(&simulate(&g).unwrap()),
            "lane {lane}"
        );
    }
    let names = |t: &Trace| t.log_names().join(",");
    assert_eq!(names(&trace_of(Story::Partitions, 1)), "D,B,C,A");
    assert_eq!(names(&trace_of(Story::Partitions, 2)), "B,D,A,C");
}

#[test]
fn stories_give_the_seeds_logs() {
    assert_eq!(
        lane_trace(Story::AtLeastOnce).log_names(),
        ["A", "B", "B", "C"]
    );
    assert_eq!(lane_trace(Story::AtMostOnce).log_names(), ["A", "C"]);
    assert_eq!(lane_trace(Story::Idempotent).log_names(), ["A", "B", "C"]);
}
