//! The shared scenario: story, messages, network, broker and the fault script.

use crate::components::lane_settings::input_value;
use crate::i18n::{Lang, Text};
use crate::state::{names_for_count, parse_names, Action, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::scenario::{Fault, MAX_LATENCY_MS, MAX_TIME_MS};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub state: UseReducerHandle<State>,
}

fn story_name(t: &Text, s: Story) -> &'static str {
    match s {
        Story::SideBySide => t.side_by_side,
        Story::AtLeastOnce => t.stories[0],
        Story::AtMostOnce => t.stories[1],
        Story::Idempotent => t.stories[2],
    }
}

/// A number field that only dispatches values in range; anything else is named next to it.
#[derive(Properties, PartialEq)]
struct NumProps {
    id: AttrValue,
    label: AttrValue,
    value: String,
    min: f64,
    max: f64,
    on_value: Callback<f64>,
}

#[function_component]
fn Num(p: &NumProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let (min, max, on_value, error) = (p.min, p.max, p.on_value.clone(), error.clone());
        Callback::from(move |e: Event| {
            let v = input_value(&e);
            match v.trim().parse::<f64>() {
                Ok(n) if n.is_finite() && (min..=max).contains(&n) => {
                    error.set(None);
                    on_value.emit(n);
                }
                _ => error.set(Some(format!("{min}–{max}"))),
            }
        })
    };
    html! {
        <label for={p.id.clone()} class={classes!("num", error.is_some().then_some("invalid"))}>
            <span>{ &p.label }</span>
            <input id={p.id.clone()} type="number" min={p.min.to_string()} max={p.max.to_string()}
                value={p.value.clone()} {onchange} aria-invalid={error.is_some().to_string()} />
            if let Some(e) = &*error {
                <small class="field-error" role="alert">{ e }</small>
            }
        </label>
    }
}

#[function_component]
pub fn Controls(p: &ControlsProps) -> Html {
    let state = &p.state;
    let t = state.lang.t();
    let sc = &state.scenario;
    let names_error = use_state(|| None::<String>);
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
        let err = names_error.clone();
        Callback::from(move |e: Event| match parse_names(&input_value(&e)) {
            Ok(n) => {
                err.set(None);
                d.dispatch(Action::SetMessages(n));
            }
            Err(m) => err.set(Some(m)),
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
    let num = |id: &'static str, label: &'static str, value: String, min: f64, max: f64, action: fn(f64) -> Action| {
        let d = d.clone();
        html! {
            <Num id={id} label={label} value={value} min={min} max={max}
                on_value={Callback::from(move |v: f64| d.dispatch(action(v)))} />
        }
    };
    let faults = sc.faults.iter().enumerate().map(|(i, f)| {
        html! { <FaultRow index={i} fault={*f} names={sc.messages.clone()} lang={state.lang} dispatch={d.clone()} /> }
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
                <label for="messages" class={classes!("wide", names_error.is_some().then_some("invalid"))}>
                    <span>{ t.messages }</span>
                    <input id="messages" type="text" value={sc.messages.iter().take(40).cloned().collect::<Vec<_>>().join(" ")
                        + if sc.messages.len() > 40 { " …" } else { "" }} onchange={on_names} />
                    if let Some(e) = &*names_error {
                        <small class="field-error" role="alert">{ e }</small>
                    }
                </label>
                <Num id="count" label={t.count} value={sc.messages.len().to_string()} min={1.0} max={MAX_UI_MESSAGES as f64} on_value={on_count} />
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
                { num("seed", t.seed, sc.seed.to_string(), 0.0, 9_007_199_254_740_991.0, |v| Action::SetSeed(v as u64)) }
                { num("latency", t.latency, sc.network.latency_ms.to_string(), 0.0, MAX_LATENCY_MS as f64, |v| Action::SetLatency(v as u64)) }
                { num("jitter", t.jitter, sc.network.jitter_ms.to_string(), 0.0, MAX_LATENCY_MS as f64, |v| Action::SetJitter(v as u64)) }
                { num("rloss", t.request_loss, pct(sc.network.request_loss), 0.0, 100.0, |v| Action::SetRequestLoss(v / 100.0)) }
                { num("aloss", t.response_loss, pct(sc.network.response_loss), 0.0, 100.0, |v| Action::SetResponseLoss(v / 100.0)) }
                { num("replicas", t.replicas, sc.broker.replicas.to_string(), 1.0, 5.0, |v| Action::SetReplicas(v as u32)) }
                { num("replication", t.replication, sc.broker.replication_ms.to_string(), 0.0, MAX_LATENCY_MS as f64, |v| Action::SetReplicationMs(v as u64)) }
            </fieldset>
        </section>
    }
}

fn pct(p: f64) -> String {
    format!("{}", (p * 10_000.0).round() / 100.0)
}

#[derive(Properties, PartialEq)]
struct FaultRowProps {
    index: usize,
    fault: Fault,
    names: Vec<String>,
    lang: Lang,
    dispatch: UseReducerDispatcher<State>,
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

#[function_component]
fn FaultRow(p: &FaultRowProps) -> Html {
    let t = p.lang.t();
    let f = p.fault;
    let i = p.index;
    let emit = {
        let d = p.dispatch.clone();
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
        html! {
            <Num id={format!("fault{i}-{label}")} label={label} value={value.to_string()} min={min as f64} max={max as f64}
                on_value={Callback::from(move |v: f64| emit(set(f, v as u64)))} />
        }
    };
    let remove = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::RemoveFault(i)))
    };
    let kind_idx = KINDS.iter().position(|k| *k == f.kind()).unwrap_or(0);
    let target = f.target().map(|(msg, attempt)| {
        html! {
            <>
                <label for={format!("fault{i}-msg")}>
                    <span>{ t.message }</span>
                    <select id={format!("fault{i}-msg")} onchange={on_msg}>
                        { for p.names.iter().enumerate().take(MAX_UI_MESSAGES).map(|(m, n)| html! {
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
