//! The price of each guarantee: per delivery mode, the throughput and latency of a longer run
//! under the chosen network, as a small chart, next to the seed's claim and Kafka's own
//! measurements. Computed when opened.

use crate::i18n::Lang;
use crate::lessons::config_line;
use crate::state::Lane;
use crate::svg::esc;
use delivery_sim::price::{price, Price, RUN};
use delivery_sim::{Scenario, Settings};
use std::fmt::Write as _;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Scenario,
    pub lanes: Vec<Lane>,
    pub lang: Lang,
}

/// The replicas a production topic has: with one, acks=all would wait for no one.
const MIN_REPLICAS: u32 = 3;

struct Row {
    label: String,
    config: String,
    price: Result<Price, String>,
}

fn rows(scenario: &Scenario, lanes: &[Lane], names: &[&str]) -> Vec<Row> {
    let mut base = scenario.clone();
    base.broker.replicas = base.broker.replicas.max(MIN_REPLICAS);
    let mut acks1 = lanes[1].settings.clone();
    acks1.set("acks", "1");
    acks1.set("enable.idempotence", "false");
    let cases: [(String, &Settings); 4] = [
        (names[0].to_string(), &lanes[0].settings),
        ("acks=1".to_string(), &acks1),
        (names[1].to_string(), &lanes[1].settings),
        (names[2].to_string(), &lanes[2].settings),
    ];
    cases
        .into_iter()
        .map(|(label, settings)| Row {
            label,
            config: settings
                .resolve()
                .map(|r| config_line(&r.config))
                .unwrap_or_default(),
            price: price(&base, settings),
        })
        .collect()
}

/// A panel's bar for a mode: p50, p99 and the label.
type Value<'a> = &'a dyn Fn(&Price) -> (f64, f64, String);

/// Three small bar panels (throughput, the producer's wait, readable by consumers), one bar
/// per mode; p99 drawn lighter behind p50.
fn chart(rows: &[Row], lang: Lang) -> String {
    let (titles, unit_s) = match lang {
        Lang::En => (
            [
                "Throughput",
                "Producer waits (send → result)",
                "Readable by consumers",
            ],
            "records/s",
        ),
        Lang::Ko => (
            [
                "처리량",
                "프로듀서 대기 (send → 결과)",
                "컨슈머가 읽을 수 있기까지",
            ],
            "레코드/초",
        ),
    };
    let ok: Vec<(usize, &Price)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.price.as_ref().ok().map(|p| (i, p)))
        .collect();
    let max = |f: &dyn Fn(&Price) -> f64| ok.iter().map(|(_, p)| f(p)).fold(1.0, f64::max);
    let panels: [(&str, f64, Value); 3] = [
        (titles[0], max(&|p| p.throughput), &|p| {
            (
                p.throughput,
                p.throughput,
                format!("{} {unit_s}", p.throughput.round() as u64),
            )
        }),
        (titles[1], max(&|p| p.ack_ms.1 as f64), &|p| {
            (p.ack_ms.0 as f64, p.ack_ms.1 as f64, ms(p.ack_ms))
        }),
        (titles[2], max(&|p| p.e2e_ms.1 as f64), &|p| {
            (p.e2e_ms.0 as f64, p.e2e_ms.1 as f64, ms(p.e2e_ms))
        }),
    ];
    // Whole numbers only: formatting floats would add their printing code to the bundle.
    let (w, bar, gap, top) = (300u32, 16u32, 30u32, 22u32);
    let h = top + rows.len() as u32 * gap;
    let mut o = String::from("<div class=\"price-chart\">");
    for (title, max, value) in panels {
        let _ = write!(
            o,
            "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{0}\"><text class=\"t\" x=\"0\" y=\"14\">{0}</text>",
            esc(title)
        );
        for (i, p) in &ok {
            let y = top + *i as u32 * gap;
            let (p50, p99, label) = value(p);
            let len = |v: f64| ((v / max * f64::from(w - 4)) as u32).max(2);
            let _ = write!(
                o,
                "<rect class=\"p99 r{i}\" x=\"0\" y=\"{y}\" width=\"{}\" height=\"{bar}\"/><rect class=\"p50 r{i}\" x=\"0\" y=\"{y}\" width=\"{}\" height=\"{bar}\"/><text x=\"4\" y=\"{}\">{}</text>",
                len(p99),
                len(p50),
                y + bar - 4,
                esc(&label)
            );
        }
        o.push_str("</svg>");
    }
    o.push_str("</div>");
    o
}

fn ms((p50, p99): (u64, u64)) -> String {
    if p50 == p99 {
        format!("{p50} ms")
    } else {
        format!("{p50} ms · p99 {p99} ms")
    }
}

#[function_component]
pub fn PriceChart(props: &Props) -> Html {
    let (open, ontoggle) = super::use_details_open();
    let lang = props.lang;
    let t = lang.chrome();
    let (title, note, legend) = match lang {
        Lang::En => (
            "The price of each guarantee",
            format!(
                "{RUN} records, no scripted faults, this page's network, {} replicas at least. The seed says exactly-once sending is up to 20% slower. At the same acks and requests in flight, idempotence costs nothing here, and Kafka's own measurements agree (KIP-185: enabling idempotence alone does not significantly impact performance); what costs is acks=all waiting for the followers, and a consumer waits for them anyway. Since Kafka 3.0 (KIP-679) acks=all with idempotence is the default. With request loss, the idempotent producer holds the records behind a lost one until it is retried after request.timeout.ms, to keep their order; without idempotence they go ahead (and may be reordered). Throughput counts records over the time until the last had its result. Records are batched as Kafka 4 batches them (linger.ms 5, batch.size 16384): while requests are out, the records behind them gather into the next batch, so a slower answer costs latency before it costs throughput.",
                MIN_REPLICAS
            ),
            "p50 solid, p99 light",
        ),
        Lang::Ko => (
            "보장의 대가",
            format!(
                "레코드 {RUN}개, 지정한 장애 없음, 이 페이지의 네트워크, 복제본 최소 {}개. 시드 노트는 중복 없는 전송이 최대 20% 느리다고 합니다. 같은 acks와 in-flight에서 멱등성은 여기서 비용이 없고, 카프카의 측정도 같습니다 (KIP-185: 멱등성만 켜는 것은 성능에 큰 영향이 없음). 비용은 acks=all이 팔로워를 기다리는 데서 나오며, 컨슈머는 어차피 팔로워 복제를 기다립니다. Kafka 3.0(KIP-679)부터 acks=all과 멱등성이 기본값입니다. 요청이 유실되면 멱등 프로듀서는 순서를 지키려고 유실된 레코드가 request.timeout.ms 뒤 재시도될 때까지 뒤의 레코드를 붙잡아 둡니다. 멱등성이 없으면 뒤의 레코드가 먼저 나갑니다(순서가 바뀔 수 있음). 처리량은 마지막 레코드가 결과를 받을 때까지의 시간으로 계산합니다. 레코드는 Kafka 4처럼 배치로 묶입니다(linger.ms 5, batch.size 16384). 요청이 나가 있는 동안 뒤의 레코드가 다음 배치에 모이므로, 느린 응답은 처리량보다 지연 시간을 먼저 늘립니다.",
                MIN_REPLICAS
            ),
            "p50 진하게, p99 옅게",
        ),
    };
    let body = if open {
        let rows = rows(&props.scenario, &props.lanes, &t.lane_names);
        let mut o = String::from("<ol class=\"price-rows\">");
        for (i, r) in rows.iter().enumerate() {
            let _ = write!(
                o,
                "<li class=\"r{i}\"><strong>{}</strong> <code>{}</code>{}</li>",
                esc(&r.label),
                esc(&r.config),
                match &r.price {
                    Err(e) => format!(" <code class=\"config-error\">{}</code>", esc(e)),
                    Ok(p) if p.lost > 0 => format!(" · {} {}", t.lost, p.lost),
                    Ok(_) => String::new(),
                }
            );
        }
        let _ = write!(
            o,
            "</ol>{}<p class=\"legend-note\">{legend}</p><p class=\"price-note\">{}</p>",
            chart(&rows, lang),
            esc(&note)
        );
        Html::from_html_unchecked(o.into())
    } else {
        Html::default()
    };
    html! {
        <details class="price" {ontoggle}>
            <summary>{ title }</summary>
            { body }
        </details>
    }
}
