//! JSON in, by serde_json: the limits a pasted document meets, messages that say line and
//! column, and duplicate keys refused (serde_json's own `Value` silently keeps the last one,
//! which would drop half of a hand-edited scenario without a word).
//!
//! What the engine writes derives `Serialize`: the views in `scenario` (a scenario in its file
//! format) and `trace` (a run in the CLI's format) borrow the engine's data and name messages by
//! name. What it reads is this module's `Value`, walked by readers that name the key a message
//! is about and check what serde cannot (names that exist, ranges, Kafka's config rules).

mod scenario;
mod trace;

pub use scenario::{FaultJson, ScenarioJson};
pub use trace::TraceJson;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
pub use serde_json::{Map, Value};
use std::fmt;

/// Largest document the reader accepts (a 10 MB paste gets a clear message, not a hang).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Reads one JSON document.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "input is {} bytes; the limit is {} bytes",
            text.len(),
            MAX_INPUT_BYTES
        ));
    }
    if text.trim().is_empty() {
        return Err("invalid JSON: the input is empty".into());
    }
    serde_json::from_str::<Strict>(text)
        .map(|s| s.0)
        .map_err(|e| {
            // serde_json ends its message with " at line L column C": say it first, once.
            let msg = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            let what = msg.strip_suffix(&at).unwrap_or(&msg);
            format!(
                "invalid JSON at line {}, column {}: {what}",
                e.line(),
                e.column()
            )
        })
}

/// `v` as JSON text. The views have only string keys and plain values, which serde_json always
/// writes: the empty answer is never seen.
pub fn to_string<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The workshop's "export JSON": the scenario and each lane's result, or why it did not run.
#[derive(Serialize)]
pub struct Comparison<'a> {
    pub scenario: ScenarioJson<'a>,
    pub lanes: Vec<LaneJson<'a>>,
}

#[derive(Serialize)]
pub struct LaneJson<'a> {
    /// The lane's mode (`Preset::name`).
    pub lane: &'a str,
    pub result: LaneResult<'a>,
}

/// A lane's trace, or why it did not run: `{"error": "..."}` where its trace would be.
#[derive(Serialize)]
#[serde(untagged)]
pub enum LaneResult<'a> {
    Ran(Box<TraceJson<'a>>),
    Refused { error: &'a str },
}

/// A map written in the order of its pairs (a `Map` is written in key order).
pub struct Ordered<'a, K, V>(pub &'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Ordered<'_, K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// What a value is, for messages ("`seed` must be a number, not a string").
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A `Value` read with duplicate keys refused.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if fields.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let Strict(v) = map.next_value()?;
            fields.insert(key, v);
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_scenario_shape() {
        let v = parse(r#"{"a": [1, -2.5e1, "x\u00e9\n"], "b": {"c": true, "d": null}}"#).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, -25.0, "xé\n"]));
        assert_eq!(v["b"]["c"], Value::Bool(true));
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(e, "invalid JSON at line 3, column 7: expected `:`");
        let e = parse("{\"a\":1,\n\"a\":2}").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("duplicate key `a`"),
            "{e}"
        );
        assert!(parse("[1,]").is_err());
        assert!(parse(" \n").unwrap_err().contains("empty"));
        assert!(parse("1e999").unwrap_err().contains("out of range"));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).unwrap_err().contains("recursion limit"));
        let big = format!("[{}1]", "1,".repeat(MAX_INPUT_BYTES / 2));
        assert!(parse(&big).unwrap_err().contains("the limit is"));
    }

    #[test]
    fn write_then_read_is_identity() {
        let v = parse(r#"{"k":["é\"\\\u0001",3,0.25,false,null,{}]}"#).unwrap();
        assert_eq!(parse(&v.to_string()).unwrap(), v);
    }
}
