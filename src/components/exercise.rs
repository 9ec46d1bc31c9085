//! Workshop exercises: the list of them with the student's progress (on the page before one is
//! open, and as a menu), and the panel of the open one (task, check, hint, solution). The
//! exercises are data (`exercises/*.json`, bundled into `exercises.json` by the build) and are
//! fetched when first asked for.
//! Drawn as HTML text with one click handler reading `data-act`: a fraction of the wasm that
//! a tree of `html!` elements with a callback each would take.

use crate::browser;
use crate::i18n::{Chrome, Lang};
use crate::runs::{Runs, Shared};
use crate::state::{Action, Exercises, State, Workshop, WorkshopAction};
use crate::svg::esc;
use delivery_sim::exercise::{self, Exercise, Miss};
use delivery_sim::{Fault, Scenario};
use std::fmt::Write as _;
use std::rc::Rc;
use yew::prelude::*;

/// The workshop's own state (`Workshop`): this browser's progress read from its storage, and
/// whether the page's link names only its exercise.
#[hook]
pub fn use_workshop() -> UseReducerHandle<Workshop> {
    use_reducer(|| Workshop {
        solved: Rc::new(read_progress()),
        fresh: crate::url::exercise_fresh(&browser::query()),
        ..Workshop::default()
    })
}

/// The open exercise's panel, with what keeps it going: the exercises are loaded when one is
/// asked for (a link, the menu); a link naming only the exercise sets up its start; the goal is
/// checked against the exercise's lane, and a met goal, once checked, is recorded.
#[hook]
pub fn use_exercise(
    state: &UseReducerHandle<State>,
    ws: &UseReducerHandle<Workshop>,
    runs: &Shared<Runs>,
) -> Html {
    let current = state
        .doc
        .exercise
        .as_deref()
        .and_then(|id| ws.exercises.find(id));
    let missing = current
        .as_ref()
        .map(|ex| match &runs.lanes[ex.lane.index()] {
            Ok((trace, _)) => Ok(ex.goal.check(trace)),
            Err(e) => Err(e.clone()),
        });
    // Progress is kept in the browser: written whenever it changes (the reducer stays pure).
    use_effect_with(ws.solved.clone(), |ids| write_progress(ids));
    // Another exercise shown (Back, Forward, the menu) is not checked yet.
    {
        let w = ws.dispatcher();
        use_effect_with(state.doc.exercise.clone(), move |_| {
            w.dispatch(WorkshopAction::Unchecked)
        });
    }
    let (list, d, w) = (ws.exercises.clone(), state.dispatcher(), ws.dispatcher());
    let met = ws.checked && matches!(&missing, Some(Ok(m)) if m.is_empty());
    let ready = matches!(ws.exercises, Exercises::Ready(_));
    use_effect_with(
        (state.doc.exercise.clone(), ws.fresh, ready, met),
        move |(id, fresh, ready, met)| {
            let Some(id) = id else {
                return load(&list, &d, &w);
            };
            match (ready, list.find(id)) {
                (false, _) => load(&list, &d, &w),
                (true, None) => {
                    d.dispatch(Action::CloseExercise);
                    d.dispatch(Action::Banner(vec![format!("no exercise named `{id}`")]));
                }
                (true, Some(ex)) if *fresh => open(&d, &w, ex, false),
                _ if *met => w.dispatch(WorkshopAction::Solved(id.clone())),
                _ => {}
            }
        },
    );
    if state.doc.exercise.is_none() {
        return if state.doc.embed {
            Html::default()
        } else {
            intro(state, ws)
        };
    }
    panel(state, ws, current.as_ref(), missing.as_ref())
}

/// Sets an exercise up in the page (its start, or its solution) and in the workshop.
fn open(
    d: &UseReducerDispatcher<State>,
    w: &UseReducerDispatcher<Workshop>,
    ex: Rc<Exercise>,
    solution: bool,
) {
    d.dispatch(Action::OpenExercise(ex, solution));
    w.dispatch(WorkshopAction::Opened);
}

/// Fetches and reads the exercises, once; a broken one is named in the page's banner, the rest
/// load.
pub fn load(
    list: &Exercises,
    page: &UseReducerDispatcher<State>,
    workshop: &UseReducerDispatcher<Workshop>,
) {
    if *list != Exercises::NotLoaded {
        return;
    }
    workshop.dispatch(WorkshopAction::Exercises(Exercises::Loading));
    let (page, workshop) = (page.clone(), workshop.clone());
    yew::platform::spawn_local(async move {
        let read = browser::fetch_text("exercises.json")
            .await
            .and_then(|text| delivery_sim::json::parse(&text))
            .map(|v| exercise::Exercise::read_all(&v));
        let list = match read {
            Ok((exercises, errors)) => {
                if !errors.is_empty() {
                    page.dispatch(Action::Banner(errors));
                }
                Exercises::Ready(Rc::new(exercises.into_iter().map(Rc::new).collect()))
            }
            Err(e) => {
                page.dispatch(Action::Banner(vec![e]));
                Exercises::Failed
            }
        };
        workshop.dispatch(WorkshopAction::Exercises(list));
    });
}

const PROGRESS_KEY: &str = "kafka-delivery-viz.solved";

/// The ids of the exercises this browser has solved (whatever the storage held, read safely).
pub fn read_progress() -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in browser::stored(PROGRESS_KEY).unwrap_or_default().split(',') {
        if exercise::is_id(id) && !ids.iter().any(|x| x == id) && ids.len() < 500 {
            ids.push(id.to_string());
        }
    }
    ids
}

fn write_progress(ids: &[String]) {
    browser::store(PROGRESS_KEY, &ids.join(","));
}

fn pick(lang: Lang, t: &exercise::Text) -> &str {
    match lang {
        Lang::En => &t.en,
        Lang::Ko => &t.ko,
    }
}

fn level(o: &mut String, t: &Chrome, n: u8) {
    let n = n.clamp(1, 3) as usize;
    let _ = write!(
        o,
        "<span class=\"level\" title=\"{0}\"><span aria-hidden=\"true\">{1}{2}</span><span class=\"sr-only\">{0}</span></span>",
        t.levels[n - 1],
        "●".repeat(n),
        "○".repeat(3 - n)
    );
}

fn raw(html: String) -> Html {
    Html::from_html_unchecked(html.into())
}

/// One handler for every button of the menu and the panel.
fn on_click(
    d: UseReducerDispatcher<State>,
    ws: &UseReducerHandle<Workshop>,
    current: Option<String>,
) -> Callback<MouseEvent> {
    let (w, list) = (ws.dispatcher(), ws.exercises.clone());
    Callback::from(move |e: MouseEvent| {
        let Some(b) = browser::acted_on(&e) else {
            return;
        };
        let id = b.get_attribute("data-ex").or_else(|| current.clone());
        let ex = id.as_deref().and_then(|id| list.find(id));
        match (b.get_attribute("data-act").as_deref(), ex) {
            (Some("ex-open"), Some(ex)) => {
                browser::close_menu(&e);
                open(&d, &w, ex, false);
            }
            (Some("ex-solution"), Some(ex)) => open(&d, &w, ex, true),
            (Some("ex-check"), _) => w.dispatch(WorkshopAction::Check),
            (Some("ex-close"), _) => {
                d.dispatch(Action::CloseExercise);
                w.dispatch(WorkshopAction::Opened);
            }
            (Some("ex-reset"), _) => w.dispatch(WorkshopAction::ResetProgress),
            _ => {}
        }
    })
}

/// Every exercise with its level and a tick when solved, the progress, and its reset.
fn list_markup(lang: Lang, open: Option<&str>, ws: &Workshop) -> String {
    let t = lang.chrome();
    let solved = &ws.solved;
    let mut o = String::new();
    match &ws.exercises {
        Exercises::Ready(all) => {
            let count = all.iter().filter(|e| solved.contains(&e.id)).count();
            let _ = write!(
                o,
                "<p class=\"progress\">{}</p><ol class=\"ex-list\">",
                (t.solved_count)(count, all.len())
            );
            for (i, ex) in all.iter().enumerate() {
                let done = solved.contains(&ex.id);
                let current = open == Some(&ex.id);
                let _ = write!(
                    o,
                    "<li><button type=\"button\" data-act=\"ex-open\" data-ex=\"{}\"{}><span class=\"tick\"{}>{}</span><span class=\"num\">{}.</span><span class=\"name\">{}</span>",
                    esc(&ex.id),
                    if current { " aria-current=\"true\"" } else { "" },
                    if done { format!(" title=\"{}\"", t.solved) } else { String::new() },
                    if done { "✓" } else { "" },
                    i + 1,
                    esc(pick(lang, &ex.title)),
                );
                level(&mut o, t, ex.level);
                o.push_str("</button></li>");
            }
            let _ = write!(
                o,
                "</ol><button type=\"button\" class=\"reset-progress\" data-act=\"ex-reset\"{}>{}</button>",
                if solved.is_empty() { " disabled" } else { "" },
                t.reset_progress
            );
        }
        Exercises::Failed => {}
        _ => {
            let _ = write!(o, "<p>{}</p>", t.loading);
        }
    }
    o
}

/// The workshop page before an exercise is open: what the exercises are, and all of them.
fn intro(state: &UseReducerHandle<State>, ws: &UseReducerHandle<Workshop>) -> Html {
    let (title, text) = match state.doc.lang {
        Lang::En => (
            "Workshop",
            "Each exercise sets up messages, faults and a producer, and names a goal: change faults (click an arrow to lose it) and settings until Check says the goal is met. Easy to hard; progress stays in this browser.",
        ),
        Lang::Ko => (
            "워크숍",
            "연습 문제마다 메시지, 장애, 프로듀서 설정과 목표가 주어집니다. 장애(화살표를 누르면 유실)와 설정을 바꿔 가며 확인 버튼이 목표 달성을 알릴 때까지 풀어 보세요. 쉬운 것부터 어려운 것 순서이며, 진행 기록은 이 브라우저에 남습니다.",
        ),
    };
    html! {
        <section class="exercise ex-intro" aria-label={title} onclick={on_click(state.dispatcher(), ws, None)}>
            { raw(format!("<header><h2>✎ {title}</h2></header><p class=\"task\">{text}</p>{}", list_markup(state.doc.lang, None, ws))) }
        </section>
    }
}

/// The header's menu: every exercise with its level and a tick when solved; reset progress.
pub fn menu(state: &UseReducerHandle<State>, ws: &UseReducerHandle<Workshop>) -> Html {
    let t = state.doc.lang.chrome();
    let ontoggle = {
        let (list, d, w) = (ws.exercises.clone(), state.dispatcher(), ws.dispatcher());
        Callback::from(move |_: Event| load(&list, &d, &w))
    };
    let open = state.doc.exercise.clone();
    let o = list_markup(state.doc.lang, open.as_deref(), ws);
    html! {
        <details class="share ex-menu" {ontoggle} onclick={on_click(state.dispatcher(), ws, open)}>
            <summary>{ "✎ " }{ t.exercises }</summary>
            <div class="menu">{ raw(o) }</div>
        </details>
    }
}

/// The open exercise: what to do, the check and what it found, the hint and the solution.
/// Each part is its own HTML text, so a new verdict leaves an opened hint open.
pub fn panel(
    state: &UseReducerHandle<State>,
    ws: &UseReducerHandle<Workshop>,
    ex: Option<&Rc<Exercise>>,
    missing: Option<&Result<Vec<Miss>, String>>,
) -> Html {
    let t = state.doc.lang.chrome();
    let lang = state.doc.lang;
    let list = &ws.exercises;
    let onclick = on_click(state.dispatcher(), ws, state.doc.exercise.clone());
    let close = format!(
        "<button type=\"button\" class=\"close\" data-act=\"ex-close\" aria-label=\"{0}\" title=\"{0}\">✕</button>",
        t.close
    );
    let Some(ex) = ex else {
        let loading = match list {
            Exercises::Failed | Exercises::Ready(_) => "",
            _ => t.loading,
        };
        return html! {
            <section class="exercise" aria-label={t.exercise} {onclick}>
                { raw(format!("<header><p>{loading}</p>{close}</header>")) }
            </section>
        };
    };
    let (index, total, next) = match list {
        Exercises::Ready(all) => {
            let i = all.iter().position(|e| e.id == ex.id).unwrap_or(0);
            (i + 1, all.len(), all.get(i + 1).cloned())
        }
        _ => (1, 1, None),
    };

    let mut top = format!(
        "<header><span class=\"ex-no\">{} {index}/{total}</span>",
        t.exercise
    );
    level(&mut top, t, ex.level);
    let _ = write!(
        top,
        "<h2>{}</h2>{close}</header><p class=\"task\">{}</p><div class=\"row\"><button type=\"button\" class=\"check primary\" data-act=\"ex-check\">{}</button><button type=\"button\" class=\"start-over\" data-act=\"ex-open\">{}</button></div>",
        esc(pick(lang, &ex.title)),
        esc(pick(lang, &ex.task)),
        t.check,
        t.start_over
    );

    let verdict = verdict_markup(t, lang, ex, ws.checked.then_some(missing).flatten(), next);

    let hint = format!(
        "<details class=\"hint\"><summary>{}</summary><p>{}</p></details>",
        t.hint,
        esc(pick(lang, &ex.hint))
    );
    let mut solution = format!(
        "<details class=\"solution\"><summary>{}</summary>",
        t.solution
    );
    solution_text(&mut solution, t, &ex.solution);
    let _ = write!(
        solution,
        "<button type=\"button\" class=\"load-solution\" data-act=\"ex-solution\">{}</button></details>",
        t.load_solution
    );
    html! {
        <section class="exercise" aria-label={t.exercise} data-ex={ex.id.clone()} {onclick}>
            { raw(top) }
            { raw(verdict) }
            { raw(hint) }
            { raw(solution) }
        </section>
    }
}

/// What Check found, once the reader has asked: the goal met (with why, and the next exercise),
/// or each condition still missing with what the run gave.
fn verdict_markup(
    t: &Chrome,
    lang: Lang,
    ex: &Exercise,
    missing: Option<&Result<Vec<Miss>, String>>,
    next: Option<Rc<Exercise>>,
) -> String {
    let mut verdict = String::new();
    match missing {
        Some(Ok(m)) if m.is_empty() => {
            let _ = write!(
                verdict,
                "<div class=\"verdict ok\" role=\"status\"><p><strong>✓ {}</strong> {}</p>",
                t.solved,
                esc(pick(lang, &ex.explain))
            );
            if let Some(n) = next {
                let _ = write!(
                    verdict,
                    "<button type=\"button\" class=\"next\" data-act=\"ex-open\" data-ex=\"{}\">{} →</button>",
                    esc(&n.id),
                    t.next_exercise
                );
            }
            verdict.push_str("</div>");
        }
        Some(Ok(m)) => {
            let _ = write!(
                verdict,
                "<div class=\"verdict no\" role=\"status\"><strong>{}</strong><ul>",
                t.still_missing
            );
            for m in m {
                let _ = write!(
                    verdict,
                    "<li><code>{}</code> {} <span class=\"got\">({}: {})</span></li>",
                    esc(&m.what),
                    esc(&m.want),
                    t.now,
                    esc(&m.got)
                );
            }
            verdict.push_str("</ul></div>");
        }
        Some(Err(e)) => {
            let _ = write!(
                verdict,
                "<div class=\"verdict no\" role=\"status\"><code>{}</code></div>",
                esc(e)
            );
        }
        None => {}
    }
    verdict
}

/// The solution as someone would set it up by hand: faults, settings, and whether sends wait.
fn solution_text(o: &mut String, t: &Chrome, s: &Scenario) {
    let name = |m: usize| esc(s.messages.get(m).map_or("?", |n| n.as_str()));
    let _ = write!(
        o,
        "<div class=\"solution-text\"><p><strong>{}</strong></p><ul>",
        t.faults
    );
    for f in &s.faults {
        let detail = match *f {
            Fault::BrokerDown { from_ms, to_ms } => format!("{from_ms}–{to_ms} ms"),
            Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
                format!("{at_ms} ms")
            }
            Fault::DelayResponse { msg, attempt, ms } => {
                format!("{} #{attempt} +{ms} ms", name(msg))
            }
            _ => f
                .target()
                .map_or(String::new(), |(m, a)| format!("{} #{a}", name(m))),
        };
        let _ = write!(o, "<li><code>{}</code> {detail}</li>", f.kind().name());
    }
    let _ = write!(
        o,
        "</ul><p>{}: {}</p><pre>{}</pre></div>",
        esc(t.sync),
        if s.sync { t.yes } else { t.no },
        esc(&s.producer.to_properties())
    );
}
