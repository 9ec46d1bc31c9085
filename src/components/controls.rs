//! The shared scenario: story, messages, network, broker and the fault script.

use crate::components::lane_settings::input_value;
use crate::i18n::{Lang, Text};
use crate::state::{names_for_count, parse_names, Action, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::scenario::{Fault, MAX_LATENCY_MS, MAX_TIME_MS};
use yew::prelude::*;


fn story_name(t: &Text, s: Story) -> &'static str {
    match s {
        Story::SideBySide => t.side_by_side,
        Story::AtLeastOnce => t.stories[0],
        Story::AtMostOnce => t.stories[1],
        Story::Idempotent => t.stories[2],
    }
}

/// A number field that only dispatches values in range; anything else is marked invalid with
/// the range, by the browser's own validity message.
fn num_field(id: &str, label: &str, value: String, min: u64, max: u64, on_value: Callback<f64>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        match delivery_sim::num::parse_decimal(el.value().trim()) {
            Some(n) if n >= min as f64 && n <= max as f64 => {
                el.set_custom_validity("");
                on_value.emit(n);
            }
            _ => {
                el.set_custom_validity(&format!("{min}–{max}"));
                el.report_validity();
            }
        }
    });
    html! {
        <label for={id.to_string()} class="num">
            <span>{ label }</span>
            <input id={id.to_string()} type="number" min={min.to_string()} max={max.to_string()} value={value} {onchange} />
        </label>
    }
}

pub fn controls(state: &UseReducerHandle<State>) -> Html {
    let t = state.lang.t();
    let sc = &state.scenario;
    let d = state.dispatcher();

    let on_story = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = Story::from_code(&input_value(&e)) {
                d.dispatch(Action::SetStory(s));
            }
        })
    };
    let on_names = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            match parse_names(&el.value()) {
                Ok(n) => {
                    el.set_custom_validity("");
                    d.dispatch(Action::SetMessages(n));
                }
                Err(m) => {
                    el.set_custom_validity(&m);
                    el.report_validity();
                }
            }
        })
    };
    let on_count = {
        let d = d.clone();
        Callback::from(move |n: f64| d.dispatch(Action::SetMessages(names_for_count(n as usize))))
    };
    let on_sync = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.dispatch(Action::SetSync(el.checked()));
        })
    };
    let num = |id: &'static str, label: &'static str, value: String, min: u64, max: u64, action: fn(f64) -> Action| {
        let d = d.clone();
        num_field(id, label, value, min, max, Callback::from(move |v: f64| d.dispatch(action(v))))
    };
    let faults = sc.faults.iter().enumerate().map(|(i, f)| {
        fault_row(i, *f, &sc.messages, state.lang, &d)
    });
    let add = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::AddFault))
    };
    html! {
        <section class="controls" aria-label={t.controls}>
            <label for="story" class="wide">
                <span>{ t.story }</span>
                <select id="story" onchange={on_story}>
                    { for Story::ALL.iter().map(|&s| html! {
                        <option value={s.code()} selected={s == state.story}>{ story_name(t, s) }</option>
                    }) }
                </select>
            </label>
            <fieldset>
                <legend>{ t.messages }</legend>
                <label for="messages" class="wide">
                    <span>{ t.messages }</span>
                    <input id="messages" type="text" value={sc.messages.iter().take(40).cloned().collect::<Vec<_>>().join(" ")
                        + if sc.messages.len() > 40 { " …" } else { "" }} onchange={on_names} />
                </label>
                { num_field("count", t.count, sc.messages.len().to_string(), 1, MAX_UI_MESSAGES as u64, on_count) }
                <label class="check" for="sync">
                    <input id="sync" type="checkbox" checked={sc.sync} onchange={on_sync} />
                    <span>{ t.sync }</span>
                </label>
            </fieldset>
            <fieldset>
                <legend>{ t.faults }</legend>
                <ul class="faults">{ for faults }</ul>
                <button type="button" onclick={add}>{ t.add_fault }</button>
            </fieldset>
            <fieldset class="grid">
                <legend>{ t.network }</legend>
                { num("seed", t.seed, sc.seed.to_string(), 0, 9_007_199_254_740_991, |v| Action::SetSeed(v as u64)) }
                { num("latency", t.latency, sc.network.latency_ms.to_string(), 0, MAX_LATENCY_MS, |v| Action::SetLatency(v as u64)) }
                { num("jitter", t.jitter, sc.network.jitter_ms.to_string(), 0, MAX_LATENCY_MS, |v| Action::SetJitter(v as u64)) }
                { num("rloss", t.request_loss, pct(sc.network.request_loss), 0, 100, |v| Action::SetRequestLoss(v / 100.0)) }
                { num("aloss", t.response_loss, pct(sc.network.response_loss), 0, 100, |v| Action::SetResponseLoss(v / 100.0)) }
                { num("replicas", t.replicas, sc.broker.replicas.to_string(), 1, 5, |v| Action::SetReplicas(v as u32)) }
                { num("replication", t.replication, sc.broker.replication_ms.to_string(), 0, MAX_LATENCY_MS, |v| Action::SetReplicationMs(v as u64)) }
            </fieldset>
        </section>
    }
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
        "delay_response" => Fault::DelayResponse { msg, attempt, ms: 40_000 },
        "broker_down" => Fault::BrokerDown { from_ms: at_ms, to_ms: at_ms + 5_000 },
        "leader_failover" => Fault::LeaderFailover { at_ms },
        _ => Fault::ProducerRestart { at_ms },
    }
}

/// One fault of the script: its kind, the message and attempt it hits, its times.
fn fault_row(i: usize, f: Fault, names: &[String], lang: Lang, dispatch: &UseReducerDispatcher<State>) -> Html {
    let t = lang.t();
    let emit = {
        let d = dispatch.clone();
        move |nf: Fault| d.dispatch(Action::SetFault(i, nf))
    };
    let on_kind = {
        let emit = emit.clone();
        Callback::from(move |e: Event| emit(with_kind(f, &input_value(&e))))
    };
    let on_msg = {
        let emit = emit.clone();
        Callback::from(move |e: Event| {
            let Ok(msg) = input_value(&e).parse::<usize>() else { return };
            emit(match f {
                Fault::DropRequest { attempt, .. } => Fault::DropRequest { msg, attempt },
                Fault::DropResponse { attempt, .. } => Fault::DropResponse { msg, attempt },
                Fault::BrokerFail { attempt, .. } => Fault::BrokerFail { msg, attempt },
                Fault::DelayResponse { attempt, ms, .. } => Fault::DelayResponse { msg, attempt, ms },
                other => other,
            })
        })
    };
    // One numeric field edits the attempt, another the time values, each range-checked.
    let field = |label: &'static str, value: u64, min: u64, max: u64, set: fn(Fault, u64) -> Fault| {
        let emit = emit.clone();
        num_field(&format!("fault{i}-{label}"), label, value.to_string(), min, max, Callback::from(move |v: f64| emit(set(f, v as u64))))
    };
    let remove = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::RemoveFault(i)))
    };
    let kind_idx = KINDS.iter().position(|k| *k == f.kind()).unwrap_or(0);
    let target = f.target().map(|(msg, attempt)| {
        html! {
            <>
                <label for={format!("fault{i}-msg")}>
                    <span>{ t.message }</span>
                    <select id={format!("fault{i}-msg")} onchange={on_msg}>
                        { for names.iter().enumerate().take(MAX_UI_MESSAGES).map(|(m, n)| html! {
                            <option value={m.to_string()} selected={m == msg}>{ n }</option>
                        }) }
                    </select>
                </label>
                { field(t.attempt, attempt as u64, 1, 1000, |f, v| match f {
                    Fault::DropRequest { msg, .. } => Fault::DropRequest { msg, attempt: v as u32 },
                    Fault::DropResponse { msg, .. } => Fault::DropResponse { msg, attempt: v as u32 },
                    Fault::BrokerFail { msg, .. } => Fault::BrokerFail { msg, attempt: v as u32 },
                    Fault::DelayResponse { msg, ms, .. } => Fault::DelayResponse { msg, attempt: v as u32, ms },
                    other => other,
                }) }
            </>
        }
    });
    let times = match f {
        Fault::DelayResponse { ms, .. } => field(t.delay_ms, ms, 0, MAX_TIME_MS, |f, v| match f {
            Fault::DelayResponse { msg, attempt, .. } => Fault::DelayResponse { msg, attempt, ms: v },
            o => o,
        }),
        Fault::BrokerDown { from_ms, to_ms } => html! {
            <>
                { field(t.from_ms, from_ms, 0, MAX_TIME_MS, |f, v| match f {
                    Fault::BrokerDown { to_ms, .. } => Fault::BrokerDown { from_ms: v, to_ms: to_ms.max(v) },
                    o => o,
                }) }
                { field(t.to_ms, to_ms, 0, MAX_TIME_MS, |f, v| match f {
                    Fault::BrokerDown { from_ms, .. } => Fault::BrokerDown { from_ms: from_ms.min(v), to_ms: v },
                    o => o,
                }) }
            </>
        },
        Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
            field(t.at_ms, at_ms, 0, MAX_TIME_MS, |f, v| match f {
                Fault::LeaderFailover { .. } => Fault::LeaderFailover { at_ms: v },
                Fault::ProducerRestart { .. } => Fault::ProducerRestart { at_ms: v },
                o => o,
            })
        }
        _ => html! {},
    };
    html! {
        <li class="fault" data-kind={f.kind()}>
            <label for={format!("fault{i}-kind")}>
                <span class="sr-only">{ t.faults }</span>
                <select id={format!("fault{i}-kind")} onchange={on_kind}>
                    { for KINDS.iter().enumerate().map(|(k, kind)| html! {
                        <option value={*kind} selected={k == kind_idx}>{ t.fault_kinds[k] }</option>
                    }) }
                </select>
            </label>
            { for target }
            { times }
            <button type="button" class="remove" onclick={remove} aria-label={format!("{} {}", t.remove, t.fault_kinds[kind_idx])}>{ "✕" }</button>
        </li>
    }
}
