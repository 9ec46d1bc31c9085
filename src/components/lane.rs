//! One delivery mode: its settings, sequence diagram, partition log, summary and event log.

use crate::app::{Runs, Shared};
use crate::components::diagram::DiagramView;
use crate::components::events::EventLog;
use crate::components::lane_settings::LaneSettings;
use crate::i18n::{Lang, Text};
use crate::state::State;
use delivery_sim::{Acks, Outcome, Preset, ProducerConfig, Settings, Trace};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub index: usize,
    pub runs: Shared<Runs>,
    pub lang: Lang,
    pub preset: Preset,
    pub settings: Settings,
    pub t_now: u64,
    pub highlight: Option<u32>,
    pub focus: Option<u32>,
    pub story_lane: bool,
    pub compact: bool,
    pub dispatch: UseReducerDispatcher<State>,
}

pub fn config_line(c: &ProducerConfig) -> String {
    let retries = if c.retries == i32::MAX as u32 {
        "∞".to_string()
    } else {
        c.retries.to_string()
    };
    format!(
        "acks={} · retries={} · idempotence={} · in-flight {}",
        c.acks.as_str(),
        retries,
        if c.enable_idempotence { "on" } else { "off" },
        c.max_in_flight
    )
}

/// The lesson in a learner's words: who was lost, who was stored twice.
pub fn lesson(t: &Text, trace: &Trace) -> (Vec<String>, Vec<String>) {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    let name = |i: usize| trace.messages[i].as_str();
    let pick = |o: Outcome| -> Vec<usize> {
        trace
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, &x)| x == o)
            .map(|(i, _)| i)
            .collect()
    };
    let few = |ids: &[usize], f: &dyn Fn(usize) -> String| -> String {
        let mut s: Vec<String> = ids.iter().take(3).map(|&i| f(i)).collect();
        if ids.len() > 3 {
            s.push(format!("+{}", ids.len() - 3));
        }
        s.join(", ")
    };
    let lost = pick(Outcome::Lost);
    let failed = pick(Outcome::Failed);
    let twice: Vec<usize> = (0..trace.messages.len()).filter(|&i| trace.copies[i] > 1).collect();
    if !lost.is_empty() {
        bad.push(few(&lost, &|i| (t.lost_msg)(name(i))));
    }
    if !failed.is_empty() {
        bad.push(few(&failed, &|i| (t.failed_msg)(name(i))));
    }
    if !twice.is_empty() {
        bad.push(few(&twice, &|i| (t.stored_twice)(name(i), trace.copies[i])));
    }
    if trace.summary.reordered > 0 {
        bad.push(format!("{} {}", trace.summary.reordered, t.out_of_order));
    }
    if bad.is_empty() {
        good.push(t.nothing_lost_nothing_twice.to_string());
    }
    (bad, good)
}

#[function_component]
pub fn LaneView(p: &LaneProps) -> Html {
    let t = p.lang.t();
    let run = &p.runs.lanes[p.index];
    let name = t.lane_names[p.index];
    let resolved = p.settings.resolve();
    let config = match &resolved {
        Ok(r) => config_line(&r.config),
        Err(_) => String::new(),
    };
    let body = match run {
        Err(e) => html! {
            <div class="cannot-run" role="alert">
                <strong>{ t.cannot_run }</strong>
                <p><code>{ e.clone() }</code></p>
            </div>
        },
        Ok((trace, _)) => {
            let (bad, good) = lesson(t, trace);
            let s = &trace.summary;
            let no_loss = s.lost == 0 && s.failed == 0;
            let no_dup = s.duplicates == 0;
            let summary_text = format!(
                "{}: {} [{}]. {}",
                t.log,
                trace.log_names().join(", "),
                s.stored,
                bad.iter().chain(good.iter()).cloned().collect::<Vec<_>>().join("; ")
            );
            html! {
                <>
                    <DiagramView
                        lane={p.index}
                        runs={p.runs.clone()}
                        lang={p.lang}
                        t_now={p.t_now}
                        highlight={p.highlight}
                        focus={p.focus}
                        label={(t.diagram_label)(name, &summary_text)}
                        dispatch={p.dispatch.clone()}
                    />
                    { log_strip(trace, p.t_now, p.lang) }
                    <div class="summary" aria-label={summary_text.clone()}>
                        <div class="lesson">
                            { for bad.iter().map(|b| html! { <span class="badge bad">{ "✗ " }{ b }</span> }) }
                            { for good.iter().map(|g| html! { <span class="badge good">{ "✓ " }{ g }</span> }) }
                        </div>
                        <dl class="counts">
                            <div><dt>{ t.stored }</dt><dd data-k="stored">{ s.stored }</dd></div>
                            <div><dt>{ t.duplicates }</dt><dd data-k="duplicates">{ s.duplicates }</dd></div>
                            <div><dt>{ t.lost }</dt><dd data-k="lost">{ s.lost }</dd></div>
                            <div><dt>{ t.failed }</dt><dd data-k="failed">{ s.failed }</dd></div>
                            <div><dt>{ t.reordered }</dt><dd data-k="reordered">{ s.reordered }</dd></div>
                        </dl>
                        <p class="checks">
                            <span class={if no_loss { "ok" } else { "no" }}>
                                { if no_loss { "✓ " } else { "✗ " } }{ t.no_loss }{ ": " }{ if no_loss { t.yes } else { t.no } }
                            </span>
                            <span class={if no_dup { "ok" } else { "no" }}>
                                { if no_dup { "✓ " } else { "✗ " } }{ t.no_duplicates }{ ": " }{ if no_dup { t.yes } else { t.no } }
                            </span>
                        </p>
                        <p class="sr-only">{ summary_text }</p>
                    </div>
                    if !p.compact {
                        <EventLog lane={p.index} runs={p.runs.clone()} lang={p.lang} focus={p.focus} t_now={p.t_now} dispatch={p.dispatch.clone()} />
                    }
                    if !trace.notes.is_empty() && !p.compact {
                        <ul class="lane-notes">{ for trace.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    }
                </>
            }
        }
    };
    html! {
        <article class={classes!("lane", format!("lane-{}", p.index), p.story_lane.then_some("story-lane"))} data-lane={p.index.to_string()} aria-label={name}>
            <header class="lane-head">
                <h2>{ name }</h2>
                <p class="config">{ config }</p>
                if !p.compact {
                    <LaneSettings index={p.index} lang={p.lang} preset={p.preset} settings={p.settings.clone()} dispatch={p.dispatch.clone()} />
                }
            </header>
            { body }
        </article>
    }
}

/// Records shown in the strip; a longer log says how many more there are.
const STRIP_MAX: usize = 120;

/// The partition log as a strip of records with offsets; a second copy is marked.
fn log_strip(trace: &Trace, t_now: u64, lang: Lang) -> Html {
    let t = lang.t();
    let mut seen = vec![0u32; trace.messages.len()];
    let acks_zero = trace.config.acks == Acks::Zero;
    let cells = trace.log.iter().take(STRIP_MAX).map(|r| {
        seen[r.msg] += 1;
        let dup = seen[r.msg] > 1;
        let future = r.t_ms > t_now;
        let title = format!(
            "offset {} · {} · attempt {}{}",
            r.offset,
            trace.messages[r.msg],
            r.attempt,
            r.idem.map_or(String::new(), |id| format!(" · PID {} seq {}", id.pid, id.seq))
        );
        html! {
            <li class={classes!("rec", dup.then_some("dup"), future.then_some("future"))} title={title}>
                <span class="off">{ r.offset }</span>
                <span class="name">{ &trace.messages[r.msg] }{ if dup { " ⚠" } else { "" } }</span>
            </li>
        }
    });
    let more = trace.log.len().saturating_sub(STRIP_MAX);
    html! {
        <div class="log">
            <h3>{ t.log }<span class="sr-only">{ ": " }{ trace.log_names().join(", ") }</span></h3>
            <ol class="strip" data-log={trace.log_names().join(",")} data-acks-zero={acks_zero.to_string()}>
                if trace.log.is_empty() {
                    <li class="empty">{ t.empty_log }</li>
                }
                { for cells }
                if more > 0 {
                    <li class="more">{ format!("+{more}") }</li>
                }
            </ol>
        </div>
    }
}
