//! Where in a run a story step's moment is: the event it points at, found by what it is.

use super::*;

/// Where a story step happens in a trace: its time and the request it concerns. One match over
/// the kinds of step (the partition's events first, then a request's); the first part as a
/// function of its own cost the app 49 bytes gzip, which its ceiling does not have to spare.
pub fn locate(trace: &Trace, find: Find) -> Option<(u64, Option<u32>)> {
    // Steps about the partition rather than a request.
    #[cfg(not(feature = "embed"))]
    {
        let msg_of = |name: &str| trace.messages.iter().position(|m| m == name);
        let at = |hit: &dyn Fn(&EventKind) -> bool| {
            trace
                .events
                .iter()
                .find(|e| hit(&e.kind))
                .map(|e| (e.t_ms, None))
        };
        match find {
            Find::ReplicaDown(r) => {
                return at(&|k| matches!(*k, EventKind::ReplicaDown { replica } if replica == r))
            }
            Find::IsrOut(r) => {
                return at(&|k| matches!(*k, EventKind::IsrShrunk { replica, .. } if replica == r))
            }
            Find::Elected => return at(&|k| matches!(k, EventKind::LeaderElected { .. })),
            Find::Failed(name) => {
                let m = msg_of(name)?;
                return at(&|k| matches!(*k, EventKind::Failed { msg, .. } if msg == m));
            }
            Find::InLane(_, inner) => return locate(trace, *inner),
            #[cfg(txn)]
            Find::Epoch(n) | Find::Restart(n) | Find::Marker(n) => {
                return trace
                    .events
                    .iter()
                    .filter(|e| {
                        matches!(
                            (find, e.kind),
                            (Find::Epoch(_), EventKind::InitProducerId { .. })
                                | (Find::Restart(_), EventKind::ProducerRestart)
                                | (Find::Marker(_), EventKind::Marker { .. })
                        )
                    })
                    .nth(n.saturating_sub(1))
                    .map(|e| (e.t_ms, None))
            }
            _ => {}
        }
    }
    let (name, attempt) = match find {
        Find::Request(m, a)
        | Find::Stored(m, a)
        | Find::Dedup(m, a)
        | Find::ResponseLost(m, a)
        | Find::BrokerFailed(m, a) => (m, a),
        #[cfg(not(feature = "embed"))]
        Find::Refused(m, a) => (m, a),
        #[cfg(not(feature = "embed"))]
        _ => return None,
    };
    let msg = trace.messages.iter().position(|m| m == name)?;
    // The request that carried the message's batch at that attempt.
    let req = trace.events.iter().find_map(|e| match e.kind {
        EventKind::Request {
            req,
            batch,
            msg: m,
            attempt: a,
            ..
        } if a == attempt && (m == msg || trace.batches.get(batch as usize).contains(&msg)) => {
            Some(req)
        }
        _ => None,
    })?;
    trace.events.iter().find_map(|e| {
        let hit = match (find, e.kind) {
            (Find::Request(..), EventKind::Request { req: r, .. }) => r == req,
            (
                Find::Stored(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Stored { .. },
                    ..
                },
            ) => r == req,
            (
                Find::Dedup(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Duplicate { .. },
                    ..
                },
            ) => r == req,
            (Find::ResponseLost(..), EventKind::ResponseLost { req: r, .. }) => r == req,
            (Find::BrokerFailed(..), EventKind::BrokerFailed { req: r }) => r == req,
            #[cfg(not(feature = "embed"))]
            (
                Find::Refused(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Rejected(delivery_sim::KafkaError::NotEnoughReplicas),
                    ..
                },
            ) => r == req,
            _ => false,
        };
        hit.then_some((e.t_ms, Some(req)))
    })
}
