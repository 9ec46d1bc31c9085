//! The controls' smaller fields: transactions, the topic's partitions and keys, and a fault's row.

use super::*;

/// How the application cuts the messages into transactions, and how late the coordinator
/// answers: shown while a lane with a `transactional.id` is.
#[cfg(txn)]
pub(super) fn txn_fields(t: &Chrome, doc: &crate::state::Doc) -> Html {
    use crate::state::{txn_shape, TXN_SHAPES};
    if !doc.shows_transactions() {
        return Html::default();
    }
    let sc = &doc.scenario;
    let shape = txn_shape(&sc.transactions, sc.messages.len());
    html! {
        <fieldset>
            <legend>{ t.transactions }</legend>
            <label for="txns" class="wide">
                <span>{ t.messages }</span>
                <select id="txns">
                    { for t.txn_shapes[..TXN_SHAPES].iter().enumerate().map(|(i, &label)| html! {
                        <option value={i.to_string()} selected={shape == Some(i)}>{ label }</option>
                    }) }
                    if shape.is_none() {
                        <option value="" selected=true disabled=true>{ t.txn_shapes[7] }</option>
                    }
                </select>
            </label>
            { num_field("coord", t.coordinator_ms, sc.broker.coordinator_ms.to_string(), 0, MAX_LATENCY_MS) }
        </fieldset>
    }
}

#[cfg(not(txn))]
pub(super) fn txn_fields(_: &Chrome, _: &crate::state::Doc) -> Html {
    Html::default()
}

/// The topic's partitions and the messages' keys (feature `partitions`).
#[cfg(feature = "partitions")]
pub(super) fn topic_fields(t: &Chrome, doc: &crate::state::Doc) -> Html {
    let sc = &doc.scenario;
    html! {
        <>
            { num_field("partitions", t.partitions, sc.partitions.to_string(), 1, MAX_PARTITIONS as u64) }
            <label for="keys" class="wide">
                <span>{ t.keys }</span>
                <input id="keys" type="text" value={browser::typed("keys", keys_text(&sc.keys))} />
            </label>
        </>
    }
}

/// Without the feature (the app: partitions do not fit its size ceiling), a link to the
/// partitions story on the workshop page, where the fields are.
#[cfg(not(feature = "partitions"))]
pub(super) fn topic_fields(t: &Chrome, doc: &crate::state::Doc) -> Html {
    let theme = if doc.dark { "dark" } else { "light" };
    let href = format!(
        "workshop/?story={}&lang={}&theme={theme}",
        Story::PARTITIONS,
        doc.lang.code()
    );
    html! {
        <a class="wide partitions-link" {href}>{ t.partitions_on_workshop }{ " ↗" }</a>
    }
}

/// The keys as the keys field shows them: in message order, comma separated, none as empty.
#[cfg(feature = "partitions")]
pub(super) fn keys_text(keys: &[Option<String>]) -> String {
    let keys: Vec<&str> = keys.iter().map(|k| k.as_deref().unwrap_or("")).collect();
    keys.join(", ").trim_end_matches([',', ' ']).to_string()
}

/// The keys field read: one key a message in order (fewer: the rest have none), empty for
/// none; all empty: no keys at all.
#[cfg(feature = "partitions")]
pub(super) fn parse_keys(text: &str, messages: usize) -> Result<Vec<Option<String>>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: Vec<Option<String>> = text
        .split(',')
        .map(|k| Some(k.trim().to_string()).filter(|k| !k.is_empty()))
        .collect();
    if keys.len() > messages {
        return Err(format!("{} keys for {messages} messages", keys.len()));
    }
    if let Some(k) = keys
        .iter()
        .flatten()
        .find(|k| k.chars().count() > MAX_KEY_CHARS)
    {
        return Err(format!(
            "`{}…` is longer than {MAX_KEY_CHARS} characters",
            clip(k)
        ));
    }
    keys.resize(messages, None);
    if keys.iter().all(Option::is_none) {
        keys.clear();
    }
    Ok(keys)
}

/// The message names offered by every fault's message field (one list, as plain markup).
pub(super) fn datalist(names: &[String]) -> String {
    let mut o = String::from("<datalist id=\"msg-names\">");
    for n in names {
        o.push_str("<option value=\"");
        o.push_str(&crate::svg::esc(n));
        o.push_str("\"></option>");
    }
    o.push_str("</datalist>");
    o
}

pub(super) fn pct(p: f64) -> String {
    delivery_sim::num::fmt_decimal(p * 100.0, 2)
}

/// One fault of the script: its kind, the message and attempt it hits, its times.
pub(super) fn fault_row(i: usize, f: Fault, names: &[String], lang: Lang) -> Html {
    let t = lang.chrome();
    let kind_idx = f.kind() as usize;
    let field = |name: &str, label: &str, value: u64, min: u64, max: u64| {
        num_field(&format!("f{i}-{name}"), label, value.to_string(), min, max)
    };
    let target = f.target().map(|(msg, attempt)| {
        let id = format!("f{i}-msg");
        let value = browser::typed(&id, names[msg].clone());
        html! {
            <>
                <label for={id.clone()} class="msg">
                    <span>{ t.message }</span>
                    <input {id} type="text" list="msg-names" {value} />
                </label>
                { field("attempt", t.attempt, attempt as u64, 1, 1000) }
            </>
        }
    });
    let times = match f {
        Fault::DelayResponse { ms, .. } => field("ms", t.delay_ms, ms, 0, MAX_TIME_MS),
        Fault::BrokerDown { from_ms, to_ms } => html! {
            <>
                { field("from", t.from_ms, from_ms, 0, MAX_TIME_MS) }
                { field("to", t.to_ms, to_ms, 0, MAX_TIME_MS) }
            </>
        },
        Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
            field("at", t.at_ms, at_ms, 0, MAX_TIME_MS)
        }
        Fault::ReplicaDown {
            replica,
            from_ms,
            to_ms,
        } => html! {
            <>
                { field("replica", t.replica, replica as u64, 1, 4) }
                { field("from", t.from_ms, from_ms, 0, MAX_TIME_MS) }
                { field("to", t.to_ms, to_ms, 0, MAX_TIME_MS) }
            </>
        },
        Fault::ReplicaSlow { replica, extra_ms } => html! {
            <>
                { field("replica", t.replica, replica as u64, 1, 4) }
                { field("ms", t.extra_ms, extra_ms, 0, MAX_TIME_MS) }
            </>
        },
        Fault::ErrorResponse { error, .. } => html! {
            <label for={format!("f{i}-error")} class="error">
                <span>{ t.broker_error }</span>
                <select id={format!("f{i}-error")}>
                    { for KafkaError::SCRIPTABLE.iter().map(|e| html! {
                        <option value={e.code()} selected={*e == error}>{ e.code() }</option>
                    }) }
                </select>
            </label>
        },
        _ => Html::default(),
    };
    html! {
        <li class="fault" data-kind={f.kind().name()}>
            <label for={format!("f{i}-kind")}>
                <span class="sr-only">{ t.faults }</span>
                <select id={format!("f{i}-kind")}>
                    { for FaultKind::ALL.iter().enumerate().map(|(k, kind)| html! {
                        <option value={kind.name()} selected={k == kind_idx}>{ t.fault_kinds[k] }</option>
                    }) }
                </select>
            </label>
            { for target }
            { times }
            <button type="button" class="remove" data-act="remove-fault" data-i={i.to_string()}
                aria-label={format!("{} {}", t.remove, t.fault_kinds[kind_idx])}>{ "✕" }</button>
        </li>
    }
}

/// The network's and the broker's number fields: seed, latency, jitter, losses, replicas.
pub(super) fn network_fields(t: &Chrome, sc: &delivery_sim::Scenario) -> Html {
    let nums: [(&str, &str, String, u64, u64); 8] = [
        (
            "seed",
            t.seed,
            sc.seed.to_string(),
            0,
            9_007_199_254_740_991,
        ),
        (
            "latency",
            t.latency,
            sc.network.latency_ms.to_string(),
            0,
            MAX_LATENCY_MS,
        ),
        (
            "jitter",
            t.jitter,
            sc.network.jitter_ms.to_string(),
            0,
            MAX_LATENCY_MS,
        ),
        (
            "rloss",
            t.request_loss,
            pct(sc.network.request_loss),
            0,
            100,
        ),
        (
            "aloss",
            t.response_loss,
            pct(sc.network.response_loss),
            0,
            100,
        ),
        ("replicas", t.replicas, sc.broker.replicas.to_string(), 1, 5),
        ("minisr", t.min_isr, sc.broker.min_insync.to_string(), 1, 5),
        (
            "replication",
            t.replication,
            sc.broker.replication_ms.to_string(),
            0,
            MAX_LATENCY_MS,
        ),
    ];
    nums.into_iter()
        .map(|(id, label, value, min, max)| num_field(id, label, value, min, max))
        .collect()
}
