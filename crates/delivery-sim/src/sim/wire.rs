//! The connections between the producer and the partition leader: one TCP connection at a
//! time, an ordered stream each way. A lost packet is a broken connection, never a hole later
//! packets pass: what was sent after it on the same connection never arrives.

use super::{Ctx, Ev};
use crate::scenario::Fault;
use crate::trace::{Answer, EventKind, Idem, Loss};

/// A Produce request and what became of it.
#[derive(Debug, Clone)]
pub(super) struct Req {
    pub batch: usize,
    /// The batch's first record: the network's random draws are keyed by it.
    pub msg: usize,
    pub attempt: u32,
    pub idem: Option<Idem>,
    pub conn: u32,
    /// The producer waits for its answer (acks=1 or all, and the connection still open).
    pub open: bool,
    pub answer: Option<Answer>,
    /// The batches of other partitions it carries, each with its own attempt and answer (a
    /// ProduceResponse answers each partition).
    pub rest: Rest,
}

/// A request's further batches: none with one partition (no `PARTITIONS`).
#[cfg(all(feature = "partitions", not(feature = "lean")))]
pub(super) type Rest = Vec<Carried>;
#[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
pub(super) type Rest = [Carried; 0];

/// A further batch of a request (see `EventKind::Carries`).
#[derive(Debug, Clone)]
pub(super) struct Carried {
    pub batch: usize,
    pub attempt: u32,
    pub idem: Option<Idem>,
    pub answer: Option<Answer>,
}

impl Req {
    /// How many batches it carries (one in the lean engine: no BATCHING).
    pub fn len(&self) -> usize {
        1 + if super::PARTITIONS {
            self.rest.len()
        } else {
            0
        }
    }

    /// Its `i`th batch: the first, then the rest; with its attempt, ids and answer.
    pub fn at(&self, i: usize) -> Carried {
        match i
            .checked_sub(1)
            .and_then(|i| self.rest.get(i))
            .filter(|_| super::PARTITIONS)
        {
            Some(c) => c.clone(),
            None => Carried {
                batch: self.batch,
                attempt: self.attempt,
                idem: self.idem,
                answer: self.answer,
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Conn {
    /// A request on it was lost: it and every request sent after it never arrive.
    requests_stalled: Option<u32>,
    last_request_at: u64,
    /// The broker has read a request and not yet sent its answer: it reads no further
    /// (SocketServer.Processor mutes the channel until RESPONSE_SENT).
    reading: bool,
    /// Requests that arrived while the broker was reading another, in arrival order.
    unread: Vec<u32>,
    /// The broker reads nothing more from it: it failed on this request, was down for it, or
    /// closed the connection after it.
    unreadable: Option<u32>,
    /// An answer on it was lost (this request's): it and every later answer never reach the
    /// producer.
    answers_stalled: Option<u32>,
    last_answer_at: u64,
    /// The producer closed it.
    closed: bool,
}

pub(super) struct Wire {
    pub reqs: Vec<Req>,
    conns: Vec<Conn>,
}

impl Wire {
    pub fn with_capacity(n: usize) -> Wire {
        Wire {
            reqs: Vec::with_capacity(n),
            conns: Vec::new(),
        }
    }

    /// A new connection to the leader.
    pub fn open(&mut self, cx: &mut Ctx) -> u32 {
        let conn = self.conns.len() as u32;
        self.conns.push(Conn::default());
        cx.emit(EventKind::Connect { conn });
        conn
    }

    /// The producer closes a connection: answers still on their way to it are not read.
    pub fn close(&mut self, conn: u32) {
        self.conns[conn as usize].closed = true;
    }

    pub fn is_closed(&self, req: u32) -> bool {
        self.conns[self.reqs[req as usize].conn as usize].closed
    }

    /// Puts a request on its connection. `stalls`: whether losing it stalls the connection
    /// (acks=0 asks for no answer, so a lost acks=0 request costs that record only).
    pub fn send(&mut self, cx: &mut Ctx, r: Req, stalls: bool) -> u32 {
        let req = self.reqs.len() as u32;
        let (msg, attempt, conn, batch) = (r.msg, r.attempt, r.conn, r.batch);
        cx.emit(EventKind::Request {
            req,
            batch: batch as u32,
            msg,
            attempt,
            idem: r.idem,
            conn,
        });
        for c in r.rest.iter().filter(|_| super::PARTITIONS) {
            cx.emit(EventKind::Carries {
                req,
                batch: c.batch as u32,
                msg: cx.record(c.batch, 0),
                attempt: c.attempt,
                idem: c.idem,
            });
        }
        let dropped = cx.scripted_any(&r, |f| matches!(f, Fault::DropRequest { .. }));
        self.reqs.push(r);
        let lat = cx.latency(msg, attempt, 1);
        let c = &mut self.conns[conn as usize];
        let lost = if dropped.is_some() {
            Some(Loss::Scripted)
        } else if cx.random_loss(msg, attempt, 2, cx.s.network.request_loss) {
            Some(Loss::Random)
        } else {
            None
        };
        let arrival = (cx.now + lat).max(c.last_request_at);
        if let Some(behind) = c.requests_stalled {
            // Behind a lost request on one TCP connection: never delivered to the broker.
            cx.at(arrival, Ev::ReqHeld(req, behind));
        } else if let Some(cause) = lost {
            if stalls {
                c.requests_stalled = Some(req);
            }
            cx.at(cx.now + lat / 2, Ev::ReqLost(req, cause));
        } else {
            c.last_request_at = arrival;
            cx.at(arrival, Ev::ReqArrive(req));
        }
        req
    }

    /// A request reaches the broker. Returns it if the broker reads it now.
    pub fn arrive(&mut self, cx: &mut Ctx, req: u32) -> Option<u32> {
        let c = &mut self.conns[self.reqs[req as usize].conn as usize];
        if let Some(behind) = c.unreadable {
            cx.emit(EventKind::RequestHeld { req, behind });
            None
        } else if c.reading {
            c.unread.push(req);
            None
        } else {
            c.reading = true;
            Some(req)
        }
    }

    /// The broker is done with the request it was reading on `conn`: the next one waiting, if
    /// any, is read now.
    pub fn read_next(&mut self, conn: u32) -> Option<u32> {
        let c = &mut self.conns[conn as usize];
        c.reading = false;
        if c.unreadable.is_some() {
            return None;
        }
        if c.unread.is_empty() {
            return None;
        }
        let next = c.unread.remove(0);
        c.reading = true;
        Some(next)
    }

    /// The broker will read nothing more from the connection of `behind`, the request it
    /// failed on (or closed the connection after); what waits there is never read.
    pub fn stop_reading(&mut self, cx: &mut Ctx, behind: u32) {
        let c = &mut self.conns[self.reqs[behind as usize].conn as usize];
        c.unreadable = Some(behind);
        c.reading = false;
        for req in std::mem::take(&mut c.unread) {
            cx.emit(EventKind::RequestHeld { req, behind });
        }
    }

    /// The broker sends its answer to `req`.
    pub fn respond(&mut self, cx: &mut Ctx, req: u32, answer: Answer, broker_down: bool) {
        let r = &mut self.reqs[req as usize];
        r.answer = Some(answer);
        let (msg, attempt) = (r.msg, r.attempt);
        cx.emit(EventKind::Response { req, answer });
        let c = &mut self.conns[r.conn as usize];
        let mut lat = cx.latency(msg, attempt, 4);
        if broker_down {
            c.answers_stalled = Some(req);
            cx.emit(EventKind::ResponseLost {
                req,
                cause: Loss::BrokerDown,
            });
            return;
        }
        if let Some(behind) = c.answers_stalled {
            // Behind a lost answer: the producer never reads it.
            let t = (cx.now + lat).max(c.last_answer_at);
            return cx.at(t, Ev::RespHeld(req, behind));
        }
        let lost = if cx
            .scripted_any(r, |f| matches!(f, Fault::DropResponse { .. }))
            .is_some()
        {
            Some(Loss::Scripted)
        } else if cx.random_loss(msg, attempt, 5, cx.s.network.response_loss) {
            Some(Loss::Random)
        } else {
            None
        };
        if let Some(cause) = lost {
            c.answers_stalled = Some(req);
            return cx.at(cx.now + lat / 2, Ev::RespLost(req, cause));
        }
        if let Some(Fault::DelayResponse { ms, .. }) =
            cx.scripted_any(r, |f| matches!(f, Fault::DelayResponse { .. }))
        {
            lat += ms;
        }
        // Answers come back in request order, whatever each one's latency.
        let t = (cx.now + lat).max(c.last_answer_at);
        c.last_answer_at = t;
        cx.at(t, Ev::RespArrive(req));
    }
}
