//! The link's tokens for a fault, a producer setting and the application's transactions.

#[cfg(txn)]
use super::decode::number;
use super::*;

/// The application's transactions, in message order: each one's length and how it ends
/// (`c`ommit, `a`bort, `n`one), as `2c,1a`.
#[cfg(txn)]
pub(super) fn txn_token(txns: &[Transaction]) -> String {
    // Without a list, each message is its own committed transaction.
    if txns.is_empty() {
        return "each".into();
    }
    let token = |t: &Transaction| format!("{}{}", t.len, &t.end.name()[..1]);
    txns.iter().map(token).collect::<Vec<_>>().join(",")
}

/// Reads `txn_token`'s form: every message once, in order (or `each`).
#[cfg(txn)]
pub(super) fn parse_txns(v: &str, messages: usize) -> Result<Vec<Transaction>, String> {
    let mut out: Vec<Transaction> = Vec::new();
    if v == "each" {
        return Ok(out);
    }
    let mut first = 0;
    for token in v.split(',') {
        // The last character, whatever its width (a hand-edited link may end in any).
        let last = token.char_indices().last().map_or(0, |(at, _)| at);
        let (len, end) = token.split_at(last);
        let end = match end {
            "c" => TxnEnd::Commit,
            "a" => TxnEnd::Abort,
            "n" => TxnEnd::None,
            _ => {
                return Err(
                    "each transaction is a count and c, a or n (commit, abort, none)".into(),
                )
            }
        };
        let len = number(len, messages as u64)
            .ok()
            .filter(|&n| n > 0)
            .ok_or("a transaction holds 1 message or more")? as usize;
        out.push(Transaction { first, len, end });
        first += len;
    }
    if first != messages {
        return Err(format!(
            "the transactions hold {first} messages, not {messages}"
        ));
    }
    if out.iter().rev().skip(1).any(|t| t.end == TxnEnd::None) {
        return Err("only the last transaction may be left open (n)".into());
    }
    Ok(out)
}

/// A fault in a link: its kind's token, then its message and attempt or its times
/// (`req.B.1`, `err.B.1.CORRUPT_MESSAGE`, `delay.B.2.40000`, `down.15.5015`, `restart.60`).
pub(super) fn fault_token(f: &Fault, names: &[String]) -> String {
    let mut t = f.kind().token().to_string();
    if let Some((msg, attempt)) = f.target() {
        t.push_str(&format!(".{}.{attempt}", enc(&names[msg])));
    }
    match *f {
        Fault::DelayResponse { ms, .. } => t.push_str(&format!(".{ms}")),
        Fault::ErrorResponse { error, .. } => t.push_str(&format!(".{}", error.code())),
        Fault::BrokerDown { from_ms, to_ms } => t.push_str(&format!(".{from_ms}.{to_ms}")),
        Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
            t.push_str(&format!(".{at_ms}"))
        }
        #[cfg(not(feature = "embed"))]
        Fault::ReplicaDown {
            replica,
            from_ms,
            to_ms,
        } => t.push_str(&format!(".{replica}.{from_ms}.{to_ms}")),
        #[cfg(not(feature = "embed"))]
        Fault::ReplicaSlow { replica, extra_ms } => t.push_str(&format!(".{replica}.{extra_ms}")),
        _ => {}
    }
    t
}

pub(super) fn parse_fault(token: &str, names: &[String]) -> Result<Fault, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let kind = FaultKind::from_token(parts[0]).ok_or_else(|| {
        format!(
            "not a fault ({})",
            FaultKind::ALL.map(FaultKind::token).join(", ")
        )
    })?;
    let num = |s: &str, max: u64| -> Result<u64, String> {
        s.parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("`{s}` is not a number from 0 to {max}"))
    };
    let mut fault = kind.like(&Fault::LeaderFailover { at_ms: 0 });
    let mut rest = &parts[1..];
    if kind.per_request() {
        let [name, attempt, more @ ..] = rest else {
            return Err("needs a message and an attempt".into());
        };
        let name = dec(name)?;
        let msg = names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| format!("message `{name}` is not in the messages"))?;
        let attempt = num(attempt, 1000)? as u32;
        if attempt == 0 {
            return Err("attempts count from 1".into());
        }
        fault = fault.retarget(msg, attempt);
        rest = more;
    }
    Ok(match (fault, rest) {
        (Fault::DelayResponse { msg, attempt, .. }, [ms]) => Fault::DelayResponse {
            msg,
            attempt,
            ms: num(ms, MAX_TIME_MS)?,
        },
        (Fault::ErrorResponse { msg, attempt, .. }, [code]) => Fault::ErrorResponse {
            msg,
            attempt,
            error: KafkaError::SCRIPTABLE
                .into_iter()
                .find(|e| e.code() == *code)
                .ok_or_else(|| format!("`{code}` is not a broker error the fault can answer"))?,
        },
        (Fault::BrokerDown { .. }, [from, to]) => {
            let (from_ms, to_ms) = (num(from, MAX_TIME_MS)?, num(to, MAX_TIME_MS)?);
            if from_ms > to_ms {
                return Err("ends before it starts".into());
            }
            Fault::BrokerDown { from_ms, to_ms }
        }
        (Fault::LeaderFailover { .. }, [at]) => Fault::LeaderFailover {
            at_ms: num(at, MAX_TIME_MS)?,
        },
        (Fault::ProducerRestart { .. }, [at]) => Fault::ProducerRestart {
            at_ms: num(at, MAX_TIME_MS)?,
        },
        (Fault::ReplicaDown { .. }, [replica, from, to]) => {
            let (from_ms, to_ms) = (num(from, MAX_TIME_MS)?, num(to, MAX_TIME_MS)?);
            if from_ms > to_ms {
                return Err("ends before it starts".into());
            }
            Fault::ReplicaDown {
                replica: num(replica, 4)?.max(1) as u32,
                from_ms,
                to_ms,
            }
        }
        (Fault::ReplicaSlow { .. }, [replica, ms]) => Fault::ReplicaSlow {
            replica: num(replica, 4)?.max(1) as u32,
            extra_ms: num(ms, MAX_TIME_MS)?,
        },
        (f, []) if kind.per_request() && kind != FaultKind::DelayResponse => f,
        _ => return Err(format!("`{token}` has the wrong number of parts")),
    })
}

pub(super) fn settings_token(s: &Settings) -> String {
    s.0.iter()
        .map(|(k, v)| format!("{k}:{}", enc(v)))
        .collect::<Vec<_>>()
        .join(",")
}
