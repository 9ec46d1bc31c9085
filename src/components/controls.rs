//! The shared scenario: story, messages, network, broker and the fault script. One change
//! handler and one click handler serve every field, reading which field from its id.

use crate::i18n::{Chrome, Lang};
use crate::state::{names_for_count, parse_names, Action, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::scenario::{Fault, MAX_LATENCY_MS, MAX_TIME_MS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn story_name(t: &Chrome, s: Story) -> &'static str {
    match s {
        Story::SideBySide => t.side_by_side,
        Story::AtLeastOnce => t.stories[0],
        Story::AtMostOnce => t.stories[1],
        Story::Idempotent => t.stories[2],
    }
}

/// A number field; the shared change handler checks it against its own min and max.
fn num_field(id: &str, label: &str, value: String, min: u64, max: u64) -> Html {
    html! {
        <label for={id.to_string()} class="num">
            <span>{ label }</span>
            <input id={id.to_string()} type="number" min={min.to_string()} max={max.to_string()} {value} />
        </label>
    }
}

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
    if id == "story" {
        return Ok(Story::from_code(&value).map(Action::SetStory));
    }
    if id == "messages" {
        return parse_names(&value).map(|n| Some(Action::SetMessages(n)));
    }
    if id == "sync" {
        return Ok(Some(Action::SetSync(el.checked())));
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
            .ok_or_else(|| format!("`{}` is not one of the messages", value.trim()))?;
        return Ok(Some(Action::SetFault(i, edit_fault(old, "msg", m as u64))));
    }
    let (min, max) = (el.min(), el.max());
    let n = delivery_sim::num::parse_decimal(value.trim())
        .filter(|n| {
            let bound = |b: &str, d: f64| delivery_sim::num::parse_decimal(b).unwrap_or(d);
            *n >= bound(&min, 0.0) && *n <= bound(&max, f64::MAX)
        })
        .ok_or_else(|| format!("{min}–{max}"))?;
    let (u, f) = (n as u64, n);
    Ok(Some(match id {
        "count" => Action::SetMessages(names_for_count(u as usize)),
        "seed" => Action::SetSeed(u),
        "latency" => Action::SetLatency(u),
        "jitter" => Action::SetJitter(u),
        "rloss" => Action::SetRequestLoss(f / 100.0),
        "aloss" => Action::SetResponseLoss(f / 100.0),
        "replicas" => Action::SetReplicas(u as u32),
        "replication" => Action::SetReplicationMs(u),
        _ => {
            // Fault fields: `f{index}-{field}`.
            let Some((i, field)) = id
                .strip_prefix('f')
                .and_then(|r| r.split_once('-'))
                .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))
            else {
                return Ok(None);
            };
            let Some(&old) = faults.get(i) else {
                return Ok(None);
            };
            Action::SetFault(i, edit_fault(old, field, u))
        }
    }))
}

/// A fault with one of its numbers changed.
fn edit_fault(f: Fault, field: &str, v: u64) -> Fault {
    let (msg, attempt) = f.target().unwrap_or((0, 1));
    let (msg, attempt) = match field {
        "msg" => (v as usize, attempt),
        "attempt" => (msg, v as u32),
        _ => (msg, attempt),
    };
    match f {
        Fault::DropRequest { .. } => Fault::DropRequest { msg, attempt },
        Fault::DropResponse { .. } => Fault::DropResponse { msg, attempt },
        Fault::BrokerFail { .. } => Fault::BrokerFail { msg, attempt },
        Fault::DelayResponse { ms, .. } => Fault::DelayResponse {
            msg,
            attempt,
            ms: if field == "ms" { v } else { ms },
        },
        Fault::BrokerDown { from_ms, to_ms } => match field {
            "from" => Fault::BrokerDown {
                from_ms: v,
                to_ms: to_ms.max(v),
            },
            "to" => Fault::BrokerDown {
                from_ms: from_ms.min(v),
                to_ms: v,
            },
            _ => f,
        },
        Fault::LeaderFailover { .. } if field == "at" => Fault::LeaderFailover { at_ms: v },
        Fault::ProducerRestart { .. } if field == "at" => Fault::ProducerRestart { at_ms: v },
        other => other,
    }
}

pub fn controls(state: &UseReducerHandle<State>) -> Html {
    let t = state.lang.chrome();
    let sc = &state.scenario;
    let onchange = {
        let d = state.dispatcher();
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
                let v = sel.value();
                let action = match id.as_str() {
                    "story" => Story::from_code(&v).map(Action::SetStory),
                    // The only other select: a fault's kind, `f{index}-kind`.
                    _ => id
                        .strip_prefix('f')
                        .and_then(|r| r.strip_suffix("-kind"))
                        .and_then(|i| i.parse::<usize>().ok())
                        .and_then(|i| Some(Action::SetFault(i, with_kind(*faults.get(i)?, &v)))),
                };
                if let Some(a) = action {
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
    };
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
        .map(|(i, f)| fault_row(i, *f, &sc.messages, state.lang));
    let nums: [(&str, &str, String, u64, u64); 7] = [
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
        (
            "replication",
            t.replication,
            sc.broker.replication_ms.to_string(),
            0,
            MAX_LATENCY_MS,
        ),
    ];
    let shown: Vec<String> = sc.messages.iter().take(40).cloned().collect();
    let names = shown.join(" ") + if sc.messages.len() > 40 { " …" } else { "" };
    html! {
        <section class="controls" aria-label={t.controls} {onchange} {onclick}>
            <label for="story" class="wide">
                <span>{ t.story }</span>
                <select id="story">
                    { for Story::ALL.iter().map(|&s| html! {
                        <option value={s.code()} selected={s == state.story}>{ story_name(t, s) }</option>
                    }) }
                </select>
            </label>
            <fieldset>
                <legend>{ t.messages }</legend>
                <label for="messages" class="wide">
                    <span>{ t.messages }</span>
                    <input id="messages" type="text" value={names} />
                </label>
                { num_field("count", t.count, sc.messages.len().to_string(), 1, MAX_UI_MESSAGES as u64) }
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
            <fieldset class="grid">
                <legend>{ t.network }</legend>
                { for nums.into_iter().map(|(id, label, value, min, max)| num_field(id, label, value, min, max)) }
            </fieldset>
        </section>
    }
}

/// The message names offered by every fault's message field (one list, as plain markup).
fn datalist(names: &[String]) -> String {
    let mut o = String::from("<datalist id=\"msg-names\">");
    for n in names {
        o.push_str("<option value=\"");
        o.push_str(&crate::svg::esc(n));
        o.push_str("\"></option>");
    }
    o.push_str("</datalist>");
    o
}

fn pct(p: f64) -> String {
    delivery_sim::num::fmt_decimal(p * 100.0, 2)
}

const KINDS: [&str; 7] = [
    "drop_request",
    "drop_response",
    "broker_fail",
    "delay_response",
    "broker_down",
    "leader_failover",
    "producer_restart",
];

/// A fault of another kind, keeping what carries over (message, attempt, time).
fn with_kind(f: Fault, kind: &str) -> Fault {
    let (msg, attempt) = f.target().unwrap_or((0, 1));
    let at_ms = match f {
        Fault::BrokerDown { from_ms, .. } => from_ms,
        Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => at_ms,
        _ => 15,
    };
    match kind {
        "drop_request" => Fault::DropRequest { msg, attempt },
        "drop_response" => Fault::DropResponse { msg, attempt },
        "broker_fail" => Fault::BrokerFail { msg, attempt },
        "delay_response" => Fault::DelayResponse {
            msg,
            attempt,
            ms: 40_000,
        },
        "broker_down" => Fault::BrokerDown {
            from_ms: at_ms,
            to_ms: at_ms + 5_000,
        },
        "leader_failover" => Fault::LeaderFailover { at_ms },
        _ => Fault::ProducerRestart { at_ms },
    }
}

/// One fault of the script: its kind, the message and attempt it hits, its times.
fn fault_row(i: usize, f: Fault, names: &[String], lang: Lang) -> Html {
    let t = lang.chrome();
    let kind_idx = KINDS.iter().position(|k| *k == f.kind()).unwrap_or(0);
    let field = |name: &str, label: &str, value: u64, min: u64, max: u64| {
        num_field(&format!("f{i}-{name}"), label, value.to_string(), min, max)
    };
    let target = f.target().map(|(msg, attempt)| {
        html! {
            <>
                <label for={format!("f{i}-msg")} class="msg">
                    <span>{ t.message }</span>
                    <input id={format!("f{i}-msg")} type="text" list="msg-names" value={names[msg].clone()} />
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
        _ => Html::default(),
    };
    html! {
        <li class="fault" data-kind={f.kind()}>
            <label for={format!("f{i}-kind")}>
                <span class="sr-only">{ t.faults }</span>
                <select id={format!("f{i}-kind")}>
                    { for KINDS.iter().enumerate().map(|(k, kind)| html! {
                        <option value={*kind} selected={k == kind_idx}>{ t.fault_kinds[k] }</option>
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
