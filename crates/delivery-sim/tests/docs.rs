//! `docs/format.md` is the project's own account of the scenario format and the CLI: these
//! checks hold it to the engine, so a default changed, a fault kind added or an example broken
//! in one place fails here until the other says the same.
//!
//! The document describes the whole engine (the CLI's build): partitions and transactions.
#![cfg(all(feature = "partitions", feature = "transactions"))]

use delivery_sim::config::{ProducerConfig, MODELLED_KEYS};
use delivery_sim::scenario::{Broker, FaultKind, Network, Scenario};
use delivery_sim::search::DEFAULT_KINDS;
use delivery_sim::simulate;

const DOC: &str = include_str!("../../../docs/format.md");

/// The text of the section under `heading` (a whole heading line), up to the next heading.
fn section(heading: &str) -> &'static str {
    let start = DOC
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("docs/format.md has no `{heading}`"))
        + heading.len()
        + 2;
    let end = DOC[start..].find("\n#").map_or(DOC.len(), |e| start + e);
    &DOC[start..end]
}

/// The fenced ```json blocks of the document.
fn json_blocks() -> Vec<&'static str> {
    DOC.split("```json\n")
        .skip(1)
        .map(|b| &b[..b.find("```").expect("a closed block")])
        .collect()
}

/// The last cell of the field table's row for `field`.
fn default_cell(field: &str) -> &'static str {
    let row = DOC
        .lines()
        .find(|l| l.starts_with(&format!("| `{field}` |")))
        .unwrap_or_else(|| panic!("no row for `{field}`"));
    row.trim_end_matches('|').rsplit('|').next().unwrap().trim()
}

#[test]
fn every_example_scenario_reads_and_runs() {
    let scenarios: Vec<_> = json_blocks()
        .into_iter()
        .filter(|b| b.contains("\"messages\""))
        .collect();
    assert!(scenarios.len() >= 2, "the examples were not found");
    for text in scenarios {
        let s = Scenario::from_json_text(text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
        simulate(&s).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    }
}

#[test]
fn the_fault_tables_name_every_kind_the_engine_has_and_no_other() {
    let mut documented: Vec<&str> = section("### Faults")
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .collect();
    let mut known: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
    documented.sort();
    known.sort();
    assert_eq!(documented, known);
}

#[test]
fn the_link_tokens_sentence_shows_every_kind() {
    let faults = section("### Faults");
    let sentence = &faults[faults
        .find("In links, faults are written")
        .expect("the sentence")..];
    for kind in FaultKind::ALL {
        assert!(
            sentence.contains(&format!("`{}.", kind.token())),
            "no link example for `{}` ({})",
            kind.name(),
            kind.token()
        );
    }
}

#[test]
fn the_producer_defaults_are_the_engines() {
    let text = section("### Producer settings").replace('\n', " ");
    let d = ProducerConfig::default();
    for key in MODELLED_KEYS {
        let at = text
            .find(&format!("`{key}` ("))
            .unwrap_or_else(|| panic!("`{key}` is not documented with its default"));
        let rest = &text[at + key.len() + 4..];
        let documented = &rest[..rest.find([')', ',']).expect("a closing parenthesis")];
        assert_eq!(documented, d.value(key), "the default of `{key}`");
    }
}

#[test]
fn the_network_and_broker_defaults_are_the_engines() {
    let n = Network::default();
    assert_eq!(
        default_cell("network"),
        format!(
            "{}, {}, {}, {}",
            n.latency_ms, n.jitter_ms, n.request_loss, n.response_loss
        )
    );
    let b = Broker::default();
    let mut broker = vec![
        b.replicas.to_string(),
        b.replication_ms.to_string(),
        b.min_insync.to_string(),
        b.unclean.to_string(),
        b.lag_max_ms.to_string(),
        b.session_timeout_ms.to_string(),
    ];
    #[cfg(txn)]
    broker.push(b.coordinator_ms.to_string());
    #[cfg(not(txn))]
    broker.push("0".into());
    assert_eq!(default_cell("broker"), broker.join(", "));
}

#[test]
fn search_lists_its_default_kinds() {
    let text = section("### What `search` prints").replace('\n', "");
    let listed = text
        .split("(default `")
        .nth(1)
        .and_then(|t| t.split('`').next())
        .expect("the default kinds");
    let known: Vec<&str> = DEFAULT_KINDS.iter().map(|k| k.name()).collect();
    assert_eq!(listed.replace(' ', ""), known.join(","));
}

/// The event types the engine names (`trace::event_type`), read from its source.
fn engine_event_types() -> Vec<&'static str> {
    let src = include_str!("../src/trace.rs");
    let f = &src[src.find("pub fn event_type").expect("event_type")..];
    let f = &f[..f.find("\n}\n").expect("its end")];
    f.split("=> \"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

/// The events table: each row's types (a row may name several) and its fields cell.
fn documented_events() -> Vec<(Vec<&'static str>, &'static str)> {
    let table = &DOC[DOC
        .find("| type | fields | meaning |")
        .expect("the events table")..];
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let types = cells[0].trim_start_matches("| ").split(", ");
            (types.map(|t| t.trim_matches('`')).collect(), cells[1])
        })
        .collect()
}

#[test]
fn the_events_table_names_every_event_type_and_no_other() {
    let mut documented: Vec<&str> = documented_events()
        .into_iter()
        .flat_map(|(types, _)| types)
        .collect();
    let mut known = engine_event_types();
    documented.sort();
    known.sort();
    assert_eq!(documented, known);
}

#[test]
fn every_key_and_event_field_the_scenarios_print_is_documented() {
    let table = documented_events();
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios")).unwrap()
    {
        let path = entry.unwrap().path();
        let s = Scenario::from_json_text(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let out: serde_json::Value =
            serde_json::from_str(&simulate(&s).unwrap().to_json()).unwrap();
        let run = section("### What `run` prints");
        for key in out.as_object().unwrap().keys() {
            assert!(
                run.contains(&format!("| `{key}` |")),
                "the output's `{key}` is not documented"
            );
        }
        for e in out["events"].as_array().unwrap() {
            let ty = e["type"].as_str().unwrap();
            let (_, fields) = table
                .iter()
                .find(|(types, _)| types.contains(&ty))
                .unwrap_or_else(|| panic!("{}: `{ty}` is not documented", path.display()));
            for key in e.as_object().unwrap().keys() {
                if !["t_ms", "actor", "type"].contains(&key.as_str()) {
                    assert!(
                        fields.contains(&format!("`{key}`")),
                        "{}: `{ty}` has `{key}`, which the table does not name",
                        path.display()
                    );
                }
            }
            seen += 1;
        }
    }
    assert!(seen > 1000, "only {seen} events were checked");
}
