use super::axis::*;
use super::place::*;
use super::*;
use delivery_sim::scenario::Fault;
use delivery_sim::{simulate, Preset, Scenario};

fn side_by_side() -> Vec<Trace> {
    Preset::ALL
        .iter()
        .map(|&p| {
            let mut s = Scenario::new(&["A", "B", "C"], p);
            s.faults = vec![
                Fault::DropRequest { msg: 1, attempt: 1 },
                Fault::DropResponse { msg: 1, attempt: 2 },
            ];
            simulate(&s).unwrap()
        })
        .collect()
}

#[test]
fn time_runs_down_and_long_waits_are_compressed() {
    let traces = side_by_side();
    let refs: Vec<&Trace> = traces.iter().collect();
    let axis = Axis::new(&refs);
    let times = axis.times();
    assert!(times.windows(2).all(|w| w[0] < w[1]));
    let ys: Vec<f64> = times.iter().map(|&t| axis.y(t, 0)).collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]));
    // Two 30 s request timeouts: two breaks, and the whole run fits in a screen or two.
    assert_eq!(axis.breaks.len(), 2);
    assert!(axis.breaks.iter().all(|b| b.ms > 29_000));
    assert!(axis.height < 900.0, "height {}", axis.height);
}

#[test]
fn arrows_match_the_story() {
    let traces = side_by_side();
    let refs: Vec<&Trace> = traces.iter().collect();
    let axis = Axis::new(&refs);
    // at-least-once: B #1 request lost mid-wire, B #2's ACK lost, B #3 acknowledged.
    let d = layout(&traces[1], &axis);
    let b: Vec<&Arrow> = d.arrows.iter().filter(|a| a.msg == 1).collect();
    let lost: Vec<(ArrowKind, u32)> = b
        .iter()
        .filter(|a| a.lost.is_some())
        .map(|a| (a.kind, a.attempt))
        .collect();
    assert_eq!(lost, [(ArrowKind::Request, 1), (ArrowKind::Response, 2)]);
    let req1 = b.iter().find(|a| a.attempt == 1).unwrap();
    assert!(
        req1.x2 > PRODUCER_X && req1.x2 < BROKER_X,
        "cross on the wire"
    );
    assert!(
        d.arrows.iter().all(|a| a.y2 >= a.y1),
        "arrows slope downward"
    );
    let stored_again = d
        .marks
        .iter()
        .filter(|m| m.kind == MarkKind::StoredAgain)
        .count();
    assert_eq!(stored_again, 1);
    // exactly-once: the broker's dedup decision is drawn, with PID and sequence labels.
    let d = layout(&traces[2], &axis);
    assert_eq!(
        d.marks
            .iter()
            .filter(|m| m.kind == MarkKind::Deduplicated)
            .count(),
        1
    );
    assert!(d.arrows.iter().any(|a| a.kind == ArrowKind::Request
        && a.msg == 1
        && a.attempt == 3
        && a.idem.is_some_and(|id| id.pid == 0 && id.seq == 1)));
    // at-most-once: no responses at all.
    let d = layout(&traces[0], &axis);
    assert!(d.arrows.iter().all(|a| a.kind == ArrowKind::Request));
}

#[test]
fn requests_sent_together_do_not_overlap() {
    let mut s = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
    s.sync = false;
    // linger.ms 0: three batches, three requests in the same millisecond.
    s.producer.set("linger.ms", "0");
    let t = simulate(&s).unwrap();
    let axis = Axis::new(&[&t]);
    let d = layout(&t, &axis);
    let starts: Vec<f64> = d
        .arrows
        .iter()
        .filter(|a| a.kind == ArrowKind::Request)
        .map(|a| a.y1)
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.windows(2).all(|w| w[1] - w[0] >= SLOT_H - 0.01));
}

// The embed page's engine runs one record a batch (`delivery_sim::sim::BATCHING`).
#[cfg(not(feature = "embed"))]
#[test]
fn a_batch_is_one_arrow_labelled_with_its_records() {
    let mut s = Scenario::new(&["A", "B", "C", "D", "E"], Preset::ExactlyOnce);
    s.sync = false;
    let t = simulate(&s).unwrap();
    let d = layout(&t, &Axis::new(&[&t]));
    let labels: Vec<String> = d
        .arrows
        .iter()
        .map(|a| crate::svg::arrow_label(a, &d, &t.messages))
        .collect();
    // linger.ms 5 gathers the five sends into one batch: one request, one answer.
    assert_eq!(labels, ["A…E pid0 seq0-4", "ACK 0"]);
    s.messages.truncate(3);
    let t = simulate(&s).unwrap();
    let d = layout(&t, &Axis::new(&[&t]));
    assert_eq!(
        crate::svg::arrow_label(&d.arrows[0], &d, &t.messages),
        "A B C pid0 seq0-2"
    );
}

/// Four records acknowledged at the run's last moment: their marks stack below it, and the
/// diagram is tall enough for the last.
#[cfg(not(feature = "embed"))]
#[test]
fn the_diagram_has_room_for_every_result_of_its_last_moment() {
    let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
    s.sync = false;
    let t = simulate(&s).unwrap();
    let axis = Axis::new(&[&t]);
    let d = layout(&t, &axis);
    let acks: Vec<(&Mark, f64)> = d
        .marks
        .iter()
        .zip(crate::svg::mark_offsets(&d.marks))
        .filter(|(m, _)| m.kind == MarkKind::Acked)
        .collect();
    assert_eq!(acks.len(), 4, "one batch, acknowledged together");
    let lowest = acks.iter().map(|(m, dy)| m.y + dy).fold(0.0, f64::max);
    assert!(lowest + 12.0 <= axis.height, "{lowest} in {}", axis.height);
}

/// Forty records acknowledged at once: three lines name the first, the fourth counts the rest,
/// and the diagram is no taller than four lines below the moment, as the drawing shows.
#[cfg(not(feature = "embed"))]
#[test]
fn a_moment_of_many_results_stacks_four_lines_and_counts_the_rest() {
    let names: Vec<String> = (0..40).map(|i| format!("m{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = Scenario::new(&refs, Preset::ExactlyOnce);
    s.sync = false;
    let t = simulate(&s).unwrap();
    let axis = Axis::new(&[&t]);
    let d = layout(&t, &axis);
    let acks = d.marks.iter().filter(|m| m.kind == MarkKind::Acked).count();
    assert_eq!(acks, 40, "one batch of forty, acknowledged together");
    let svg = crate::svg::export(
        &[("lane".to_string(), &d)],
        &s.messages,
        &axis,
        &crate::i18n::EN,
    );
    assert_eq!(svg.matches("class=\"mark m-acked\"").count(), 4, "{svg}");
    assert!(svg.contains(">… +37</text>"));
    let last = d.marks.iter().map(|m| m.y).fold(0.0, f64::max);
    assert!(
        axis.height < last + 33.0 + 40.0,
        "{last} in {}",
        axis.height
    );
}

#[cfg(feature = "partitions")]
#[test]
fn a_request_with_batches_of_several_partitions_names_each() {
    let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
    s.sync = false;
    s.interval_ms = 1;
    s.partitions = 3;
    // murmur2: k1 to partition 2, k2 to 0, k3 to 1.
    s.keys = ["k1", "k2", "k3", "k1"]
        .map(|k| Some(k.to_string()))
        .to_vec();
    let t = simulate(&s).unwrap();
    let d = layout(&t, &Axis::new(&[&t]));
    assert_eq!(d.carried.len(), 2);
    assert_eq!(
        crate::svg::arrow_label(&d.arrows[0], &d, &t.messages),
        "B | C | A D pid0"
    );
    // The broker decides each partition's batch: three first writes at offset 0, none of
    // them a copy, each named by its partition.
    let stored: Vec<String> = d
        .marks
        .iter()
        .filter(|m| matches!(m.kind, MarkKind::Stored | MarkKind::StoredAgain))
        .map(|m| crate::svg::mark_text(m, crate::i18n::Lang::En.t(), &t.messages))
        .collect();
    assert_eq!(stored, ["▣ P0 off 0", "▣ P1 off 0", "▣ P2 off 0"]);
}

#[cfg(txn)]
#[test]
fn markers_are_moments_of_their_own_and_aborted_copies_are_not_stored_again() {
    let mut s = crate::stories::Story::Transactions.scenario();
    s.producer = Preset::Transactional.settings();
    let t = simulate(&s).unwrap();
    let axis = Axis::new(&[&t]);
    let d = layout(&t, &axis);
    // Playback stops at each marker: C's commit is when read_committed consumers read C.
    assert!(t.markers.iter().all(|m| axis.times().contains(&m.t_ms)));
    let markers: Vec<&Mark> = d
        .marks
        .iter()
        .filter(|m| m.kind == MarkKind::Marker)
        .collect();
    assert_eq!(markers.iter().map(|m| m.n).collect::<Vec<_>>(), [2, 5, 7]);
    assert_eq!(
        markers.iter().map(|m| m.msg.is_some()).collect::<Vec<_>>(),
        [false, true, true]
    );
    // A and B written again after the abort are not duplicates.
    assert!(d.marks.iter().all(|m| m.kind != MarkKind::StoredAgain));
    // Each call to the coordinator and its answer: the epochs the producer held, 0, then
    // (after CONCURRENT_TRANSACTIONS while the fence's abort completes) 2.
    let answers: Vec<&str> = d
        .calls
        .iter()
        .filter(|c| !c.request)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(
        answers
            .iter()
            .filter(|l| l.starts_with("PID"))
            .collect::<Vec<_>>(),
        [&"PID 0 e0", &"PID 0 e2"]
    );
    assert!(answers.contains(&"CONCURRENT_TRANSACTIONS"));
    let requests: Vec<&str> = d
        .calls
        .iter()
        .filter(|c| c.request)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(requests.iter().filter(|l| **l == "EndTxn ✓").count(), 2);
    assert!(d.calls.iter().all(|c| c.t0 < c.t1 && c.y1 < c.y2));
}
