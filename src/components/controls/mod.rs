//! The shared scenario: story, messages, network, broker and the fault script. One change
//! handler and one click handler serve every field, reading which field from its id.

use crate::browser;
use crate::i18n::{Chrome, Lang};
use crate::state::{clip, names_for_count, parse_names, Action, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::scenario::{Fault, FaultKind, MAX_LATENCY_MS, MAX_TIME_MS};
#[cfg(feature = "partitions")]
use delivery_sim::scenario::{MAX_KEY_CHARS, MAX_PARTITIONS};
use delivery_sim::KafkaError;
use wasm_bindgen::JsCast;
use yew::prelude::*;

mod fields;
use fields::*;

fn story_name(t: &Chrome, s: Story) -> &'static str {
    match s {
        Story::SideBySide => t.side_by_side,
        Story::AtLeastOnce => t.stories[0],
        Story::AtMostOnce => t.stories[1],
        Story::Idempotent => t.stories[2],
        #[cfg(not(feature = "embed"))]
        Story::Replicas => t.stories[3],
        #[cfg(not(feature = "embed"))]
        Story::Batches => t.stories[4],
        #[cfg(txn)]
        Story::Transactions => t.stories[5],
        #[cfg(feature = "partitions")]
        Story::Partitions => t.story_partitions,
    }
}

/// A number field; the shared change handler checks it against its own min and max.
fn num_field(id: &str, label: &str, value: String, min: u64, max: u64) -> Html {
    html! {
        <label for={id.to_string()} class="num">
            <span>{ label }</span>
            <input id={id.to_string()} type="number" min={min.to_string()} max={max.to_string()} value={browser::typed(id, value)} />
        </label>
    }
}

/// The most a text field takes (a thousand names of 64 characters, with separators).
const MAX_FIELD_BYTES: usize = 96 * 1024;

/// Marks a field invalid with a message from the browser's own validity bubble.
fn invalid(el: &web_sys::HtmlInputElement, msg: &str) {
    el.set_custom_validity(msg);
    el.report_validity();
}

/// What a change to the field `id` asks for, or why it cannot be taken.
fn change(
    id: &str,
    el: &web_sys::HtmlInputElement,
    faults: &[Fault],
    names: &[String],
) -> Result<Option<Action>, String> {
    let value = el.value();
    // Far more than a thousand names need; a 10 MB paste is named, not read.
    if value.len() > MAX_FIELD_BYTES {
        return Err(format!(
            "{} characters pasted; this field takes at most {MAX_FIELD_BYTES}",
            value.chars().count()
        ));
    }
    if id == "story" {
        return Ok(Story::from_code(&value).map(Action::SetStory));
    }
    if id == "messages" {
        return parse_names(&value).map(|n| Some(Action::SetMessages(n)));
    }
    #[cfg(feature = "partitions")]
    if id == "keys" {
        return parse_keys(&value, names.len()).map(|k| Some(Action::SetKeys(k)));
    }
    if id == "sync" {
        return Ok(Some(Action::SetSync(el.checked())));
    }
    if id == "unclean" {
        return Ok(Some(Action::SetUnclean(el.checked())));
    }
    if let Some(i) = id.strip_prefix('f').and_then(|r| r.strip_suffix("-msg")) {
        // A fault's message, by name.
        let (Ok(i), Some(&old)) = (
            i.parse::<usize>(),
            i.parse::<usize>().ok().and_then(|i| faults.get(i)),
        ) else {
            return Ok(None);
        };
        let m = names
            .iter()
            .position(|n| *n == value.trim())
            .ok_or_else(|| format!("`{}` is not one of the messages", clip(value.trim())))?;
        return Ok(Some(Action::SetFault(i, edit_fault(old, "msg", m as u64))));
    }
    let (min, max) = (el.min(), el.max());
    let n = delivery_sim::num::parse_decimal(value.trim())
        .filter(|n| {
            let bound = |b: &str, d: f64| delivery_sim::num::parse_decimal(b).unwrap_or(d);
            *n >= bound(&min, 0.0) && *n <= bound(&max, f64::MAX)
        })
        .ok_or_else(|| format!("{min}–{max}"))?;
    Ok(number_action(id, n, faults))
}

/// What a number within its field's bounds asks for (`f{index}-{field}`: a fault's field).
fn number_action(id: &str, n: f64, faults: &[Fault]) -> Option<Action> {
    let (u, f) = (n as u64, n);
    Some(match id {
        "count" => Action::SetMessages(names_for_count(u as usize)),
        "seed" => Action::SetSeed(u),
        "latency" => Action::SetLatency(u),
        "jitter" => Action::SetJitter(u),
        "rloss" => Action::SetRequestLoss(f / 100.0),
        "aloss" => Action::SetResponseLoss(f / 100.0),
        "replicas" => Action::SetReplicas(u as u32),
        #[cfg(feature = "partitions")]
        "partitions" => Action::SetPartitions(u as u32),
        "replication" => Action::SetReplicationMs(u),
        "minisr" => Action::SetMinIsr(u as u32),
        #[cfg(txn)]
        "coord" => Action::SetCoordinatorMs(u),
        _ => {
            // Fault fields: `f{index}-{field}`.
            let (i, field) = id
                .strip_prefix('f')
                .and_then(|r| r.split_once('-'))
                .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))?;
            Action::SetFault(i, edit_fault(*faults.get(i)?, field, u))
        }
    })
}

/// A fault with one of its numbers changed.
fn edit_fault(f: Fault, field: &str, v: u64) -> Fault {
    if let Some((msg, attempt)) = f.target() {
        match field {
            "msg" => return f.retarget(v as usize, attempt),
            "attempt" => return f.retarget(msg, v as u32),
            _ => {}
        }
    }
    match (f, field) {
        (Fault::DelayResponse { msg, attempt, .. }, "ms") => Fault::DelayResponse {
            msg,
            attempt,
            ms: v,
        },
        (Fault::BrokerDown { to_ms, .. }, "from") => Fault::BrokerDown {
            from_ms: v,
            to_ms: to_ms.max(v),
        },
        (Fault::BrokerDown { from_ms, .. }, "to") => Fault::BrokerDown {
            from_ms: from_ms.min(v),
            to_ms: v,
        },
        (Fault::LeaderFailover { .. }, "at") => Fault::LeaderFailover { at_ms: v },
        (Fault::ReplicaDown { from_ms, to_ms, .. }, "replica") => Fault::ReplicaDown {
            replica: v as u32,
            from_ms,
            to_ms,
        },
        (Fault::ReplicaDown { replica, to_ms, .. }, "from") => Fault::ReplicaDown {
            replica,
            from_ms: v,
            to_ms: to_ms.max(v),
        },
        (
            Fault::ReplicaDown {
                replica, from_ms, ..
            },
            "to",
        ) => Fault::ReplicaDown {
            replica,
            from_ms: from_ms.min(v),
            to_ms: v,
        },
        (Fault::ReplicaSlow { extra_ms, .. }, "replica") => Fault::ReplicaSlow {
            replica: v as u32,
            extra_ms,
        },
        (Fault::ReplicaSlow { replica, .. }, "ms") => Fault::ReplicaSlow {
            replica,
            extra_ms: v,
        },
        (Fault::ProducerRestart { .. }, "at") => Fault::ProducerRestart { at_ms: v },
        (other, _) => other,
    }
}

/// What a changed select asks for: the story, the transactions, a fault's kind or error. Its
/// value names the choice; its id which select (a fault's are `f{index}-kind`, `f{index}-error`).
fn select_action(id: &str, v: &str, faults: &[Fault]) -> Option<Action> {
    let fault = id
        .strip_prefix('f')
        .and_then(|r| r.split_once('-'))
        .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))
        .and_then(|(i, field)| Some((i, *faults.get(i)?, field)));
    match (id, fault) {
        ("story", _) => Story::from_code(v).map(Action::SetStory),
        #[cfg(txn)]
        ("txns", _) => v.parse().ok().map(Action::SetTransactions),
        (_, Some((i, f, "kind"))) => {
            FaultKind::from_name(v).map(|k| Action::SetFault(i, k.like(&f)))
        }
        (_, Some((i, Fault::ErrorResponse { msg, attempt, .. }, "error"))) => {
            KafkaError::from_code(v).map(|error| {
                Action::SetFault(
                    i,
                    Fault::ErrorResponse {
                        msg,
                        attempt,
                        error,
                    },
                )
            })
        }
        _ => None,
    }
}

/// The one change handler of every field: a select's choice, or a field's value, which is
/// taken or named as wrong in the browser's own bubble.
fn on_change(state: &UseReducerHandle<State>) -> Callback<Event> {
    let d = state.dispatcher();
    let sc = &state.doc.scenario;
    let faults = sc.faults.clone();
    let names = sc.messages.clone();
    Callback::from(move |e: Event| {
        let Some(target) = e.target() else { return };
        // Selects are read through the same interface: value, id, min/max are all strings.
        let id = target
            .dyn_ref::<web_sys::Element>()
            .map(|el| el.id())
            .unwrap_or_default();
        if let Some(sel) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
            if let Some(a) = select_action(&id, &sel.value(), &faults) {
                d.dispatch(a);
            }
            return;
        }
        let Some(el) = target.dyn_ref::<web_sys::HtmlInputElement>() else {
            return;
        };
        match change(&id, el, &faults, &names) {
            Ok(action) => {
                el.set_custom_validity("");
                if let Some(a) = action {
                    d.dispatch(a);
                }
            }
            Err(m) => invalid(el, &m),
        }
    })
}

pub fn controls(state: &UseReducerHandle<State>) -> Html {
    let t = state.doc.lang.chrome();
    let sc = &state.doc.scenario;
    let onchange = on_change(state);
    let onclick = {
        let d = state.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let Some(b) = crate::browser::acted_on(&e) else {
                return;
            };
            match b.get_attribute("data-act").as_deref() {
                Some("add-fault") => d.dispatch(Action::AddFault),
                Some("remove-fault") => {
                    if let Some(i) = b.get_attribute("data-i").and_then(|i| i.parse().ok()) {
                        d.dispatch(Action::RemoveFault(i));
                    }
                }
                _ => {}
            }
        })
    };
    let faults = sc
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| fault_row(i, *f, &sc.messages, state.doc.lang));
    let shown: Vec<String> = sc.messages.iter().take(40).cloned().collect();
    let names = shown.join(" ") + if sc.messages.len() > 40 { " …" } else { "" };
    html! {
        <section class="controls" aria-label={t.controls} {onchange} {onclick}>
            <label for="story" class="wide">
                <span>{ t.story }</span>
                <select id="story">
                    { for Story::ALL.iter().map(|&s| html! {
                        <option value={s.code()} selected={s == state.doc.story}>{ story_name(t, s) }</option>
                    }) }
                </select>
            </label>
            <fieldset>
                <legend>{ t.messages }</legend>
                <label for="messages" class="wide">
                    <span>{ t.messages }</span>
                    <input id="messages" type="text" value={browser::typed("messages", names)} />
                </label>
                { num_field("count", t.count, sc.messages.len().to_string(), 1, MAX_UI_MESSAGES as u64) }
                { topic_fields(t, &state.doc) }
                <label class="check" for="sync">
                    <input id="sync" type="checkbox" checked={sc.sync} />
                    <span>{ t.sync }</span>
                </label>
            </fieldset>
            <fieldset>
                <legend>{ t.faults }</legend>
                { Html::from_html_unchecked(datalist(&sc.messages).into()) }
                <ul class="faults">{ for faults }</ul>
                <button type="button" data-act="add-fault">{ t.add_fault }</button>
            </fieldset>
            { txn_fields(t, &state.doc) }
            <fieldset class="grid">
                <legend>{ t.network }</legend>
                { network_fields(t, sc) }
                <label class="check" for="unclean">
                    <input id="unclean" type="checkbox" checked={sc.broker.unclean} />
                    <span>{ t.unclean }</span>
                </label>
            </fieldset>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_read_as_its_fields_action() {
        let faults = [
            Fault::DropResponse { msg: 1, attempt: 1 },
            Fault::BrokerDown {
                from_ms: 20,
                to_ms: 600,
            },
        ];
        assert_eq!(
            number_action("rloss", 12.5, &faults),
            Some(Action::SetRequestLoss(0.125))
        );
        // A fault's field, by the fault's index: the window's end pulls its start with it.
        assert_eq!(
            number_action("f1-to", 10.0, &faults),
            Some(Action::SetFault(
                1,
                Fault::BrokerDown {
                    from_ms: 10,
                    to_ms: 10
                }
            ))
        );
        // A fault with no such field keeps what it was.
        assert_eq!(
            number_action("f0-at", 3.0, &faults),
            Some(Action::SetFault(0, faults[0]))
        );
        // No such fault, and no such field: nothing to do.
        for id in ["f2-to", "f-to", "fx-to", "frobnicate"] {
            assert_eq!(number_action(id, 1.0, &faults), None, "{id}");
        }
    }
}
