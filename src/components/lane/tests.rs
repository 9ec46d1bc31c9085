use super::rows::*;
use super::*;
use delivery_sim::{simulate, Preset};

fn run(n: usize) -> Trace {
    let mut s = crate::stories::Story::SideBySide.scenario();
    s.messages = delivery_sim::scenario::numbered(n);
    s.faults.clear();
    s.producer = Preset::ALL[2].settings();
    simulate(&s).unwrap()
}

#[test]
fn a_long_log_is_read_out_as_its_start_and_a_count() {
    assert_eq!(names_to_read(&run(3)), "m0, m1, m2");
    let long = names_to_read(&run(45));
    assert!(long.starts_with("m0, m1, m2,"), "{long}");
    assert!(long.ends_with("m29, … +15"), "{long}");
}

#[cfg(feature = "partitions")]
#[test]
fn with_partitions_each_record_names_its_partition_and_key() {
    let mut s = delivery_sim::Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
    s.sync = false;
    s.partitions = 3;
    // murmur2: k1 to partition 2, k2 to 0.
    s.keys = vec![Some("k1".into()), Some("k2".into()), Some("<b>\"&".into())];
    let t = simulate(&s).unwrap();
    let o = summary_markup(&t, &s.keys, &crate::i18n::EN, "", &[], &[], "");
    assert!(o.contains("title=\"P2·offset 0 · A · key k1"), "{o}");
    // A row a partition, headed by its number; the key under the name.
    assert!(
        o.contains("<li class=\"part\">P0</li><li class=\"rec\" title=\"P0·offset 0 · B · key k2"),
        "{o}"
    );
    assert!(
        o.contains("<span class=\"off\">0</span><span class=\"name\">B</span><span class=\"key\">k2</span>"),
        "{o}"
    );
    assert!(
        o.contains("<li class=\"brk\" aria-hidden=\"true\"></li><li class=\"part\">P2</li>"),
        "{o}"
    );
    assert!(o.contains("key &lt;b&gt;&quot;&amp;"), "{o}");
    assert!(!o.contains("<b>"));
    // Before anything is stored every record is still to come, whatever its partition.
    let f = future_records(1, &t, 0);
    assert_eq!(f.matches("nth-child(").count(), 3, "{f}");
    assert_eq!(future_records(1, &t, u64::MAX), "");
}

#[test]
fn the_strip_shows_its_first_records_and_counts_the_rest() {
    let t = run(75);
    let o = summary_markup(&t, &[], &crate::i18n::EN, "", &[], &[], "");
    assert_eq!(o.matches("<li class=\"rec").count(), STRIP_MAX);
    assert!(o.contains("<li class=\"more\">+15</li>"));
    // The machine-readable log stays whole.
    assert!(o.contains("data-log=\"m0,m1,"));
    assert!(o.contains(",m74\""));
}

#[cfg(txn)]
#[test]
fn the_strip_holds_markers_between_records_and_strikes_an_abort_s_records_once_written() {
    let mut s = crate::stories::Story::Transactions.scenario();
    s.producer = Preset::Transactional.settings();
    let t = simulate(&s).unwrap();
    let o = summary_markup(&t, &[], &crate::i18n::EN, "", &[], &[], "");
    let shown: Vec<&str> = o
        .split("<span class=\"name\">")
        .skip(1)
        .map(|x| x.split('<').next().unwrap())
        .collect();
    assert_eq!(shown, ["A", "B", "✕", "A", "B", "✓", "C", "✓"]);
    // The aborted A and B are the abort's (marker 0); the copies after it are no duplicates.
    assert_eq!(o.matches("class=\"rec ab0\"").count(), 2, "{o}");
    assert!(!o.contains("rec dup") && !o.contains("⚠"), "{o}");
    // Before the abort marker is written nothing is struck through; after it, marker 0's.
    let abort = t.markers[0].t_ms;
    assert!(!future_records(3, &t, abort - 1).contains("line-through"));
    let after = future_records(3, &t, abort);
    assert!(
        after.contains(".lane-3 .ab0 .name{text-decoration:line-through}"),
        "{after}"
    );
    // Three items are there by then (A, B, the marker); the rest are still to come.
    assert!(
        after.contains(".strip>.rec:nth-child(n+4 of .rec)"),
        "{after}"
    );
}
