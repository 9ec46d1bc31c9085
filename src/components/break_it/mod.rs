//! "Break it": for a lane, or all, the smallest fault script that breaks each guarantee
//! (`delivery_sim::search`), over the page's messages and network. A result loads its script
//! into all lanes, so the three modes are compared on the counterexample.
//!
//! The faults are those of one request; a producer restart and a leader failover can be added
//! (neither is something the idempotent producer promises to survive: a restarted producer has
//! a new PID, and a failover loses what was not replicated).
//!
//! The search runs in slices of about 12 ms between frames, so the page never freezes; single
//! and double faults first, then triples, while the whole search stays under `BUDGET_MS`.

use crate::i18n::Lang;
use crate::lessons::lesson;
use crate::state::Lane;
use delivery_sim::search::{Search, DEFAULT_KINDS};
use delivery_sim::{simulate_with, Fault, FaultKind, Scenario};
use std::cell::RefCell;
use std::rc::Rc;
use words::{describe, words, Words};
use yew::prelude::*;

mod words;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Scenario,
    pub lanes: Vec<Lane>,
    /// The lanes on the page, in order.
    pub visible: Vec<usize>,
    pub lang: Lang,
    /// Load a script into all lanes.
    pub on_load: Callback<Vec<Fault>>,
}

/// Scripts of up to this many faults are tried...
const MAX_FAULTS: usize = 3;
/// ...while the search has taken less than this. Three messages' single and double faults take
/// a few milliseconds; a thousand messages' single faults alone take longer than this.
const BUDGET_MS: f64 = 2_000.0;
/// One slice of work between frames.
const SLICE_MS: f64 = 12.0;

/// One lane's search, as far as it has got.
#[derive(Clone, PartialEq)]
struct LaneResult {
    lane: usize,
    found: [Option<Vec<Fault>>; 4],
    /// Every script up to this size was tried.
    complete: usize,
    /// Scripts run, and whether the search got to its end (not stopped by the time budget).
    tried: usize,
    finished: bool,
    error: Option<String>,
}

#[derive(Clone, PartialEq, Default)]
struct View {
    results: Vec<LaneResult>,
    tried: usize,
    running: bool,
    ms: u64,
    /// What the results were found for: a change to the page's run makes them stale.
    of: Option<(Scenario, Vec<Lane>)>,
}

struct Job {
    searches: Vec<(usize, Search)>,
    /// Bumped by each new search: an older one's slices stop.
    generation: u32,
    started: f64,
}

fn without_faults(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.faults.clear();
    s
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs the job's searches, one script each in turn, for one slice; returns whether all are
/// over. Past the budget each stops where it is: its results stand for the sizes it finished
/// (a script found in a size it had started is still the smallest).
fn slice(job: &mut Job) -> bool {
    let end = now() + SLICE_MS;
    loop {
        let over = now() - job.started > BUDGET_MS;
        let mut all_done = true;
        for (_, s) in &mut job.searches {
            if !s.done() && !over {
                all_done = false;
                s.step(1);
            }
        }
        if all_done {
            return true;
        }
        if now() > end {
            return false;
        }
    }
}

fn view_of(job: &Job, running: bool, of: &(Scenario, Vec<Lane>)) -> View {
    View {
        results: job
            .searches
            .iter()
            .map(|(lane, s)| LaneResult {
                lane: *lane,
                found: s.found.clone(),
                complete: s.complete,
                tried: s.tried,
                finished: s.done(),
                error: None,
            })
            .collect(),
        tried: job.searches.iter().map(|(_, s)| s.tried).sum(),
        running,
        ms: (now() - job.started).max(0.0) as u64,
        of: Some(of.clone()),
    }
}

/// A search for each lane in `which`, or why it cannot start.
fn searches_of(
    scenario: &Scenario,
    lanes: &[Lane],
    which: &[usize],
    kinds: &[FaultKind],
) -> (Vec<(usize, Search)>, Vec<LaneResult>) {
    let mut searches = Vec::new();
    let mut errors = Vec::new();
    for &i in which {
        match Search::new(scenario, &lanes[i].settings, kinds, MAX_FAULTS) {
            Ok(s) => searches.push((i, s)),
            Err(e) => errors.push(LaneResult {
                lane: i,
                found: Default::default(),
                complete: 0,
                tried: 0,
                finished: true,
                error: Some(e),
            }),
        }
    }
    (searches, errors)
}

/// The script a "load" button in the results stands for: its lane and guarantee name it.
fn clicked_script(e: &MouseEvent, results: &[LaneResult]) -> Option<Vec<Fault>> {
    let b = crate::browser::closest(e, "[data-load]")?;
    let key = b.get_attribute("data-load").unwrap_or_default();
    let mut it = key.split(' ').filter_map(|n| n.parse::<usize>().ok());
    let (lane, g) = (it.next()?, it.next()?);
    let r = results.iter().find(|r| r.lane == lane)?;
    r.found.get(g).cloned().flatten()
}

#[function_component]
pub fn BreakIt(props: &Props) -> Html {
    let view = use_state(View::default);
    // Whether the search may also restart the producer or fail the leader over.
    let more = use_state(|| false);
    let job = use_mut_ref(|| Job {
        searches: Vec::new(),
        generation: 0,
        started: 0.0,
    });
    use_scroll_if_linked();
    let lang = props.lang;
    let w = words(lang);
    let names = lang.t().lane_names;

    let start = starter(view.setter(), job.clone(), props, *more);

    // Loading a result changes only the faults: the results still stand.
    // A "load" button in the results: its lane and guarantee name the script.
    let on_click = {
        let view = view.clone();
        let on_load = props.on_load.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(script) = clicked_script(&e, &view.results) {
                on_load.emit(script);
            }
        })
    };
    let stale = view
        .of
        .as_ref()
        .is_some_and(|(s, l)| s != &without_faults(&props.scenario) || l != &props.lanes);
    {
        // Leaving the page section stops a running search.
        let job = job.clone();
        use_effect_with((), move |_| move || job.borrow_mut().generation += 1);
    }
    let buttons = props.visible.iter().map(|&i| {
        let start = start.clone();
        html! {
            <button type="button" disabled={view.running} onclick={move |_| start.emit(vec![i])}>{ names[i] }</button>
        }
    });
    let all = {
        let start = start.clone();
        let visible = props.visible.clone();
        html! {
            <button type="button" class="primary" disabled={view.running} onclick={move |_| start.emit(visible.clone())}>{ w.all }</button>
        }
    };
    let status = if view.running {
        (w.running)(view.tried)
    } else if view.of.is_some() {
        (w.tried)(view.tried, view.ms)
    } else {
        String::new()
    };
    html! {
        <section class="break" id="break" aria-labelledby="break-title">
            <h2 id="break-title">{ w.title }</h2>
            <p class="break-intro">{ w.intro }</p>
            <div class="break-buttons">{ for buttons }{ all }</div>
            <label class="break-more">
                <input type="checkbox" checked={*more} disabled={view.running}
                    onchange={let more = more.clone(); move |e: Event| {
                        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                        more.set(el.checked());
                    }} />
                { " " }{ w.more }
            </label>
            <p class="break-status" role="status">{ status }</p>
            if stale {
                <p class="break-stale">{ w.stale }</p>
            }
            <div onclick={on_click}>
                { Html::from_html_unchecked(results_markup(&view.results, props, w, view.running).into()) }
            </div>
        </section>
    }
}

/// The app links here with `#break`: read at the first drawing (the address is rewritten after
/// it), and scrolled to once drawn.
#[hook]
fn use_scroll_if_linked() {
    let linked = use_state(|| {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .as_deref()
            == Some("#break")
    });
    use_effect_with((), move |_| {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("break"));
        if let (true, Some(el)) = (*linked, el) {
            el.scroll_into_view();
        }
    });
}

/// What a button of the lanes starts: a new search of those lanes (`more`: with restarts and
/// failovers too), its first view at once and the rest a slice per task.
fn starter(
    view: UseStateSetter<View>,
    job: Rc<RefCell<Job>>,
    props: &Props,
    more: bool,
) -> Callback<Vec<usize>> {
    let scenario = props.scenario.clone();
    let lanes = props.lanes.clone();
    let kinds = if more {
        [
            &DEFAULT_KINDS[..],
            &[FaultKind::ProducerRestart, FaultKind::LeaderFailover],
        ]
        .concat()
    } else {
        DEFAULT_KINDS.to_vec()
    };
    Callback::from(move |which: Vec<usize>| {
        let of = (without_faults(&scenario), lanes.clone());
        let (searches, errors) = searches_of(&scenario, &lanes, &which, &kinds);
        let generation = {
            let mut j = job.borrow_mut();
            j.generation += 1;
            j.searches = searches;
            j.started = now();
            j.generation
        };
        let mut first = view_of(&job.borrow(), true, &of);
        first.results.extend(errors.iter().cloned());
        view.set(first);
        pump(job.clone(), generation, view.clone(), of, Rc::new(errors));
    })
}

/// Keeps the search going, a slice per task, and shows how far it has got.
fn pump(
    job: Rc<RefCell<Job>>,
    generation: u32,
    view: UseStateSetter<View>,
    of: (Scenario, Vec<Lane>),
    errors: Rc<Vec<LaneResult>>,
) {
    gloo_timers::callback::Timeout::new(0, move || {
        let done = {
            let mut j = job.borrow_mut();
            if j.generation != generation {
                return;
            }
            slice(&mut j)
        };
        let mut v = view_of(&job.borrow(), !done, &of);
        v.results.extend(errors.iter().cloned());
        view.set(v);
        if !done {
            pump(job, generation, view, of, errors);
        }
    })
    .forget();
}

/// The results as markup (escaped: message names are the reader's), with one "load" button
/// per script, found by a click on the results (`data-load="lane guarantee"`).
fn results_markup(results: &[LaneResult], props: &Props, w: &Words, running: bool) -> String {
    use crate::svg::esc;
    use std::fmt::Write as _;
    let lang = props.lang;
    let mut o = String::from("<div class=\"break-results\">");
    for r in results {
        let _ = write!(
            o,
            "<div class=\"break-lane\"><h3>{}</h3>",
            esc(lang.t().lane_names[r.lane])
        );
        if let Some(e) = &r.error {
            let _ = write!(o, "<p><code>{}</code></p></div>", esc(e));
            continue;
        }
        o.push_str("<ul>");
        for (g, found) in r.found.iter().enumerate() {
            let label = w.guarantees[g];
            match found {
                Some(script) => {
                    let faults: Vec<String> = script
                        .iter()
                        .map(|f| describe(f, &props.scenario, lang))
                        .collect();
                    // What the counterexample does in this lane, in the lanes' own words.
                    let mut sc = props.scenario.clone();
                    sc.faults = script.clone();
                    let effect = simulate_with(&sc, &props.lanes[r.lane].settings)
                        .map(|t| lesson(lang.t(), &t).0.join("; "))
                        .unwrap_or_default();
                    let _ = write!(
                        o,
                        "<li class=\"broken\"><span class=\"verdict\">✗ {label}</span> — {}: <span class=\"script\">{}</span>",
                        (w.faults)(script.len()),
                        esc(&if faults.is_empty() { "∅".into() } else { faults.join(" + ") })
                    );
                    if !effect.is_empty() {
                        let _ = write!(o, " → <span class=\"effect\">{}</span>", esc(&effect));
                    }
                    let _ = write!(
                        o,
                        " <button type=\"button\" class=\"load\" data-load=\"{} {g}\">{}</button></li>",
                        r.lane, w.load
                    );
                }
                None if running => {
                    let _ = write!(o, "<li class=\"pending\">… {label}</li>");
                }
                None if r.complete == 0 && !r.finished => {
                    let _ = write!(
                        o,
                        "<li class=\"untried\"><span class=\"verdict\">? {label}</span> — {}</li>",
                        (w.untried)(r.tried)
                    );
                }
                None => {
                    let _ = write!(
                        o,
                        "<li class=\"holds\"><span class=\"verdict\">✓ {label}</span> — {}</li>",
                        (w.holds)(r.complete)
                    );
                }
            }
        }
        o.push_str("</ul></div>");
    }
    o.push_str("</div>");
    o
}
