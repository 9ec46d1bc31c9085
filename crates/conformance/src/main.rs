//! Conformance: the golden scenarios the librdkafka mock cluster can express, run through
//! librdkafka (the C client behind most non-Java clients) and through delivery-sim, with the
//! stored logs compared. Prints a table; exits 1 when a row that should agree does not.
//!
//! How the SPEC's faults map onto the mock cluster (`rd_kafka_mock_*`):
//! - `drop_response` (stored, ACK lost): the Produce response is delayed past the client's
//!   request timeout (librdkafka: `socket.timeout.ms`), with `..._push_request_error_rtts`.
//! - `broker_fail` / `drop_request` (not stored): the Produce request gets a retriable error,
//!   with `..._push_request_errors`; the broker does not append it.
//! - `error_response`: the Produce request is answered with that error (NOT_ENOUGH_REPLICAS)
//!   without storing it.
//! - The mock checks producer sequence numbers only for transactional producers, so the
//!   idempotent case runs with a `transactional.id` (one transaction around A, B, C).
//! - Keyed records (`keyed` cases) go through librdkafka's `murmur2_random` partitioner, the
//!   Java client's murmur2 for keys, onto a topic of the scenario's partitions; the logs are
//!   compared partition by partition. librdkafka sends one partition per Produce request
//!   (rd_kafka_ProduceRequest), where the Java client carries a batch of every partition of
//!   the broker: only placement and per-partition logs are compared.

#[cfg(not(target_arch = "wasm32"))]
mod run {
    use delivery_sim::{run_json, Preset};
    use rdkafka::bindings as rd;
    use rdkafka::client::ClientContext;
    use rdkafka::config::ClientConfig;
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::producer::{
        BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer,
    };
    use rdkafka::{Message, Offset, TopicPartitionList};
    use std::ffi::CStr;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    const TOPIC: &str = "t";
    /// librdkafka's ApiKey for Produce.
    const PRODUCE: i16 = 0;
    /// A retriable error the broker answers without storing.
    const NOT_LEADER: rd::rd_kafka_resp_err_t =
        rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION;
    const NO_ERROR: rd::rd_kafka_resp_err_t = rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR;
    const NOT_ENOUGH_REPLICAS: rd::rd_kafka_resp_err_t =
        rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS;

    /// What happens to each Produce request, in order: answered at once, answered late (past the
    /// request timeout, after storing), refused without storing (standing in for a lost request
    /// or a failed broker), or rejected with a broker error (`error_response`).
    #[derive(Clone, Copy, Debug)]
    pub enum Req {
        Ok,
        LateAck,
        Refused,
        NotEnoughReplicas,
        /// NOT_ENOUGH_REPLICAS answered 200 ms late. librdkafka puts a retried message back in
        /// message-id order, ahead of any not sent yet: answered at once, B could come back
        /// before C, produced right behind it, has left the client, and go first (a race the
        /// row lost now and then). Late, C is surely on the wire, as in the scenario.
        NotEnoughReplicasLate,
    }

    pub struct Case {
        pub name: &'static str,
        /// The delivery mode; `None` runs the scenario file's own producer settings.
        pub preset: Option<Preset>,
        /// The golden scenario file the engine runs.
        pub scenario: &'static str,
        pub requests: &'static [Req],
        /// The broker goes down before this message is sent (and is back for reading the log).
        pub down_before: Option<&'static str>,
        /// A, B and C sent one at a time (`send(...).get()`), or all at once, one record a
        /// request, so that several requests are in flight.
        pub one_at_a_time: bool,
        /// Sent at once into one batch: linger.ms 5 (Kafka 4's default, and librdkafka's), no
        /// limit on a batch's records.
        pub batched: bool,
        /// The scenario's own messages with their keys, onto its partitions (murmur2); the
        /// logs are compared per partition ("0:B 1:C 2:A,D").
        pub keyed: bool,
        /// Where librdkafka and the Java client differ: what librdkafka gives instead (the row
        /// checks that it still does; docs/conformance.md says why).
        pub librdkafka_differs: Option<&'static str>,
    }

    pub const CASES: [Case; 14] = [
        Case {
            name: "story 1: B's ACK lost",
            preset: Some(Preset::AtLeastOnce),
            scenario: "story-1-at-least-once.json",
            requests: &[Req::Ok, Req::LateAck, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "story 3: B's ACK lost",
            preset: Some(Preset::ExactlyOnce),
            scenario: "story-3-exactly-once.json",
            requests: &[Req::Ok, Req::LateAck, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "story 2: broker fails on B",
            preset: Some(Preset::AtMostOnce),
            scenario: "story-2-at-most-once.json",
            requests: &[Req::Ok, Req::Refused, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "side by side: B's request lost, then its ACK",
            preset: Some(Preset::AtMostOnce),
            scenario: "side-by-side.json",
            requests: &[Req::Ok, Req::Refused, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "side by side: B's request lost, then its ACK",
            preset: Some(Preset::AtLeastOnce),
            scenario: "side-by-side.json",
            requests: &[Req::Ok, Req::Refused, Req::LateAck, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "side by side: B's request lost, then its ACK",
            preset: Some(Preset::ExactlyOnce),
            scenario: "side-by-side.json",
            requests: &[Req::Ok, Req::Refused, Req::LateAck, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "acks=1, retries=0, B's ACK lost: stored though reported failed",
            preset: None,
            scenario: "acks-1-no-retries-lost-ack.json",
            requests: &[Req::Ok, Req::LateAck, Req::Ok],
            down_before: None,
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "broker down: B expires after delivery.timeout (message.timeout.ms)",
            preset: None,
            scenario: "delivery-timeout-fails.json",
            requests: &[Req::Ok],
            down_before: Some("B"),
            one_at_a_time: true,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "B turned down (NOT_ENOUGH_REPLICAS) with C in flight: reordered",
            preset: None,
            scenario: "reorder-broker-error.json",
            requests: &[Req::Ok, Req::NotEnoughReplicasLate, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: false,
            batched: false,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "B turned down (NOT_ENOUGH_REPLICAS) with C in flight: sequence gap",
            preset: Some(Preset::ExactlyOnce),
            scenario: "idempotent-gap-keeps-order.json",
            requests: &[Req::Ok, Req::NotEnoughReplicas, Req::Ok, Req::Ok, Req::Ok],
            down_before: None,
            one_at_a_time: false,
            batched: false,
            keyed: false,
            // C's OUT_OF_ORDER_SEQUENCE_NUMBER: the Java client retries C as it is (not the next
            // sequence, TransactionManager.canRetry); librdkafka drains and bumps the epoch
            // (rd_kafka_idemp_drain_epoch_bump), an abortable error for a transaction.
            librdkafka_differs: Some("error: commit: Transaction error: skipped sequence numbers"),
        },
        Case {
            name: "A, B, C in one batch (linger.ms 5), its ACK lost: the batch again",
            preset: Some(Preset::AtLeastOnce),
            scenario: "batch-duplicated-whole.json",
            requests: &[Req::LateAck, Req::Ok],
            down_before: None,
            one_at_a_time: false,
            batched: true,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "A, B, C in one batch (linger.ms 5), its ACK lost: the batch again",
            preset: Some(Preset::ExactlyOnce),
            scenario: "batch-duplicated-whole.json",
            requests: &[Req::LateAck, Req::Ok],
            down_before: None,
            one_at_a_time: false,
            batched: true,
            keyed: false,
            librdkafka_differs: None,
        },
        Case {
            name: "keys k1, k2, k3, k1 on 3 partitions (murmur2)",
            preset: Some(Preset::AtLeastOnce),
            scenario: "keys-land-on-murmur2-partitions.json",
            requests: &[],
            down_before: None,
            one_at_a_time: false,
            batched: true,
            keyed: true,
            librdkafka_differs: None,
        },
        Case {
            name: "keys k1, k2, k3, k1 on 3 partitions (murmur2)",
            preset: Some(Preset::ExactlyOnce),
            scenario: "keys-land-on-murmur2-partitions.json",
            requests: &[],
            down_before: None,
            one_at_a_time: false,
            batched: true,
            keyed: true,
            librdkafka_differs: None,
        },
    ];

    /// What the application is told of each send: the names of the messages reported failed.
    #[derive(Default)]
    struct Reports(Mutex<Vec<String>>);

    impl ClientContext for Reports {}

    impl ProducerContext for Reports {
        type DeliveryOpaque = ();
        fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
            if let Err((_, m)) = result {
                let name = m.payload_view::<str>().and_then(|p| p.ok()).unwrap_or("?");
                if let Ok(mut failed) = self.0.lock() {
                    failed.push(name.to_string());
                }
            }
        }
    }

    /// A run's result as the table shows it: the log, then the messages reported failed.
    fn result(log: &str, failed: &[String]) -> String {
        if failed.is_empty() {
            log.to_string()
        } else {
            format!("{log}; failed {}", failed.join(","))
        }
    }

    fn scenario_text(case: &Case) -> String {
        let path = format!(
            "{}/../../scenarios/{}",
            env!("CARGO_MANIFEST_DIR"),
            case.scenario
        );
        std::fs::read_to_string(&path).expect("golden scenario")
    }

    /// The engine's log (and reported failures) for a golden scenario under a preset.
    pub fn engine(case: &Case) -> String {
        let mut v = delivery_sim::json::parse(&scenario_text(case)).expect("valid JSON");
        if let (delivery_sim::json::Value::Object(fields), Some(p)) = (&mut v, case.preset) {
            fields.retain(|k, _| k != "mode" && k != "producer");
            fields.insert("mode".into(), p.name().into());
        }
        let trace = run_json(&v.to_string()).expect("scenario runs");
        if case.keyed {
            let mut parts: Vec<(u32, Vec<&str>)> = Vec::new();
            for r in &trace.log {
                match parts.last_mut() {
                    Some((p, names)) if *p == r.partition => names.push(&trace.messages[r.msg]),
                    _ => parts.push((r.partition, vec![&trace.messages[r.msg]])),
                }
            }
            let parts: Vec<String> = parts
                .iter()
                .map(|(p, names)| format!("{p}:{}", names.join(",")))
                .collect();
            return parts.join(" ");
        }
        let failed: Vec<String> = trace
            .outcomes
            .iter()
            .zip(&trace.messages)
            .filter(|(o, _)| **o == delivery_sim::Outcome::Failed)
            .map(|(_, m)| m.clone())
            .collect();
        result(&trace.log_names().join(","), &failed)
    }

    /// librdkafka's log: produce A, B, C one at a time (each waits for its delivery report),
    /// with the mock broker treating each Produce request as the case says.
    pub fn librdkafka(case: &Case) -> Result<String, String> {
        let mut cfg = ClientConfig::new();
        if !case.one_at_a_time && !case.batched {
            // One record a request, as the engine sends records spaced wider than linger.ms.
            cfg.set("batch.num.messages", "1");
        }
        if case.keyed {
            // The Java client's partitioner for keyed records.
            cfg.set("partitioner", "murmur2_random");
        }
        cfg.set("test.mock.num.brokers", "1")
            .set("socket.timeout.ms", "1000")
            .set("message.timeout.ms", "20000")
            .set("retry.backoff.ms", "100")
            .set("linger.ms", if case.batched { "5" } else { "0" })
            .set("max.in.flight.requests.per.connection", "5")
            .set("log_level", "0");
        match case.preset {
            Some(Preset::AtMostOnce) => cfg
                .set("acks", "0")
                .set("retries", "0")
                .set("enable.idempotence", "false"),
            Some(Preset::AtLeastOnce) => cfg
                .set("acks", "all")
                .set("retries", "2147483647")
                .set("enable.idempotence", "false"),
            Some(Preset::ExactlyOnce | Preset::Transactional) => cfg
                .set("acks", "all")
                .set("enable.idempotence", "true")
                .set("transactional.id", "conformance"),
            // The scenario file's own settings, as the engine resolves them (Kafka's defaults
            // and rules included); delivery.timeout.ms is librdkafka's message.timeout.ms.
            None => {
                let c = delivery_sim::Scenario::from_json_text(&scenario_text(case))
                    .and_then(|s| s.producer.resolve())
                    .map_err(|e| format!("{}: {e}", case.scenario))?
                    .config;
                cfg.set("acks", c.acks.as_str())
                    .set("retries", c.retries.to_string())
                    .set("enable.idempotence", c.enable_idempotence.to_string())
                    .set("message.timeout.ms", c.delivery_timeout_ms.to_string())
            }
        };
        let scenario = delivery_sim::Scenario::from_json_text(&scenario_text(case))?;
        let partitions = if case.keyed { scenario.partitions } else { 1 };
        let producer: ThreadedProducer<Reports> = cfg
            .create_with_context(Reports::default())
            .map_err(|e| format!("producer: {e}"))?;
        let rk = producer.client().native_ptr();
        // SAFETY: the mock cluster belongs to this producer (test.mock.num.brokers) and lives as
        // long as it; the calls follow librdkafka's rd_kafka_mock.h.
        let (mcluster, bootstraps) = unsafe {
            let mc = rd::rd_kafka_handle_mock_cluster(rk);
            if mc.is_null() {
                return Err("no mock cluster".into());
            }
            rd::rd_kafka_mock_topic_create(mc, c"t".as_ptr(), partitions as i32, 1);
            let b = CStr::from_ptr(rd::rd_kafka_mock_cluster_bootstraps(mc))
                .to_string_lossy()
                .into_owned();
            (mc, b)
        };
        if case.preset == Some(Preset::ExactlyOnce) {
            producer
                .init_transactions(Duration::from_secs(10))
                .map_err(|e| format!("init: {e}"))?;
            producer
                .begin_transaction()
                .map_err(|e| format!("begin: {e}"))?;
        }
        // Program the broker's answers to the Produce requests, in order.
        for r in case.requests {
            // SAFETY: as above; one (error, rtt) pair per call.
            unsafe {
                match r {
                    Req::Ok => rd::rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster, 1, PRODUCE, 1, NO_ERROR, 0i32,
                    ),
                    Req::LateAck => rd::rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster, 1, PRODUCE, 1, NO_ERROR, 3000i32,
                    ),
                    Req::Refused => rd::rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster, 1, PRODUCE, 1, NOT_LEADER, 0i32,
                    ),
                    Req::NotEnoughReplicas => rd::rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster,
                        1,
                        PRODUCE,
                        1,
                        NOT_ENOUGH_REPLICAS,
                        0i32,
                    ),
                    Req::NotEnoughReplicasLate => rd::rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster,
                        1,
                        PRODUCE,
                        1,
                        NOT_ENOUGH_REPLICAS,
                        200i32,
                    ),
                };
            }
        }
        let names: Vec<&str> = if case.keyed {
            scenario.messages.iter().map(String::as_str).collect()
        } else if case.down_before.is_some() {
            vec!["A", "B"]
        } else {
            vec!["A", "B", "C"]
        };
        for (i, &name) in names.iter().enumerate() {
            if case.down_before == Some(name) {
                // SAFETY: as above.
                unsafe { rd::rd_kafka_mock_broker_set_down(mcluster, 1) };
            }
            let record = BaseRecord::<str, str>::to(TOPIC).payload(name);
            let record = match scenario.key(i) {
                Some(key) if case.keyed => record.key(key),
                _ => record.partition(0),
            };
            producer
                .send(record)
                .map_err(|(e, _)| format!("send {name}: {e}"))?;
            if case.one_at_a_time {
                // One message at a time, as send(...).get() does.
                producer
                    .flush(Duration::from_secs(30))
                    .map_err(|e| format!("flush {name}: {e}"))?;
            }
        }
        producer
            .flush(Duration::from_secs(30))
            .map_err(|e| format!("flush: {e}"))?;
        if case.preset == Some(Preset::ExactlyOnce) {
            producer
                .commit_transaction(Duration::from_secs(30))
                .map_err(|e| format!("commit: {e}"))?;
        }
        if case.down_before.is_some() {
            // SAFETY: as above.
            unsafe { rd::rd_kafka_mock_broker_set_up(mcluster, 1) };
        }
        let log = if case.keyed {
            let mut parts = Vec::new();
            for p in 0..partitions as i32 {
                let log = read_log(&bootstraps, p)?;
                if !log.is_empty() {
                    parts.push(format!("{p}:{log}"));
                }
            }
            parts.join(" ")
        } else {
            read_log(&bootstraps, 0)?
        };
        let failed = producer
            .context()
            .0
            .lock()
            .map(|f| f.clone())
            .unwrap_or_default();
        Ok(result(&log, &failed))
    }

    fn read_log(bootstraps: &str, partition: i32) -> Result<String, String> {
        read_log_as(bootstraps, partition, "read_committed")
    }

    /// A transactions row: the golden scenario's transactions run by librdkafka's
    /// transactional producer (each message sent and flushed in turn, then the transaction
    /// committed or aborted); with `restart_after`, the first instance stops after that many
    /// transactions' sends without ending the last, and a second instance with the same
    /// `transactional.id` runs them all from the first not committed. The partition is read
    /// back with each isolation level.
    pub struct TxnCase {
        pub name: &'static str,
        pub scenario: &'static str,
        pub restart: bool,
        /// What librdkafka gives instead, where its mock cluster differs (docs/conformance.md).
        pub librdkafka_differs: Option<&'static str>,
    }

    pub const TXN_CASES: [TxnCase; 2] = [
        TxnCase {
            name: "transactions: A, B committed, C aborted",
            scenario: "txn-commit-then-abort.json",
            restart: false,
            // The mock's EndTxn writes no marker and its Fetch lists no aborted transactions.
            librdkafka_differs: Some("read_committed A,B,C; read_uncommitted A,B,C"),
        },
        TxnCase {
            name: "transactions: restart with the same transactional.id",
            scenario: "txn-restart-fences-the-zombie.json",
            restart: true,
            // The mock gives every InitProducerId a new producer id: nothing is fenced or
            // aborted, and the first instance's A, B stay readable.
            librdkafka_differs: Some(
                "read_committed A,B,A,B,C; read_uncommitted A,B,A,B,C; first instance not fenced",
            ),
        },
    ];

    /// The engine's consumers for a transactions row.
    pub fn engine_txn(case: &TxnCase) -> String {
        let text = std::fs::read_to_string(format!(
            "{}/../../scenarios/{}",
            env!("CARGO_MANIFEST_DIR"),
            case.scenario
        ))
        .expect("golden scenario");
        let trace = run_json(&text).expect("scenario runs");
        let names = |v: &[usize]| {
            v.iter()
                .map(|&m| trace.messages[m].as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        let c = trace.consumers.as_ref().expect("transactions");
        let mut out = format!(
            "read_committed {}; read_uncommitted {}",
            names(&c.read_committed),
            names(&c.read_uncommitted)
        );
        if case.restart {
            let fenced = trace.events.iter().any(|e| {
                matches!(
                    e.kind,
                    delivery_sim::EventKind::TxnState {
                        cause: delivery_sim::trace::TxnCause::Fence,
                        ..
                    }
                )
            });
            out.push_str(if fenced {
                "; first instance fenced"
            } else {
                "; first instance not fenced"
            });
        }
        out
    }

    /// librdkafka's consumers for a transactions row.
    pub fn librdkafka_txn(case: &TxnCase) -> Result<String, String> {
        let text = std::fs::read_to_string(format!(
            "{}/../../scenarios/{}",
            env!("CARGO_MANIFEST_DIR"),
            case.scenario
        ))
        .map_err(|e| e.to_string())?;
        let scenario = delivery_sim::Scenario::from_json_text(&text)?;
        let transactional = |bootstraps: Option<&str>| {
            let mut cfg = ClientConfig::new();
            match bootstraps {
                Some(b) => cfg.set("bootstrap.servers", b),
                None => cfg.set("test.mock.num.brokers", "1"),
            };
            cfg.set("transactional.id", "conformance")
                .set("linger.ms", "0")
                .set("log_level", "0");
            cfg.create::<ThreadedProducer<rdkafka::producer::DefaultProducerContext>>()
                .map_err(|e| format!("producer: {e}"))
        };
        let first = transactional(None)?;
        // SAFETY: the mock cluster belongs to the first producer and lives as long as it.
        let bootstraps = unsafe {
            let mc = rd::rd_kafka_handle_mock_cluster(first.client().native_ptr());
            if mc.is_null() {
                return Err("no mock cluster".into());
            }
            rd::rd_kafka_mock_topic_create(mc, c"t".as_ptr(), 1, 1);
            CStr::from_ptr(rd::rd_kafka_mock_cluster_bootstraps(mc))
                .to_string_lossy()
                .into_owned()
        };
        let t = Duration::from_secs(10);
        let send = |p: &ThreadedProducer<rdkafka::producer::DefaultProducerContext>,
                    name: &str|
         -> Result<(), String> {
            p.send(BaseRecord::<str, str>::to(TOPIC).payload(name).partition(0))
                .map_err(|(e, _)| format!("send {name}: {e}"))?;
            p.flush(t).map_err(|e| format!("flush {name}: {e}"))
        };
        // Runs the transactions from `from` on; `stop_open`: the last one's sends only.
        let run = |p: &ThreadedProducer<rdkafka::producer::DefaultProducerContext>,
                   from: usize,
                   stop_open: bool|
         -> Result<(), String> {
            let mut g = from;
            while let Some(tx) = scenario.transaction(g) {
                p.begin_transaction().map_err(|e| format!("begin: {e}"))?;
                for m in &scenario.messages[tx.first..tx.first + tx.len] {
                    send(p, m)?;
                }
                if stop_open {
                    return Ok(());
                }
                match tx.end {
                    delivery_sim::scenario::TxnEnd::Commit => p
                        .commit_transaction(t)
                        .map_err(|e| format!("commit: {e}"))?,
                    _ => p.abort_transaction(t).map_err(|e| format!("abort: {e}"))?,
                }
                g += 1;
            }
            Ok(())
        };
        first
            .init_transactions(t)
            .map_err(|e| format!("init: {e}"))?;
        let mut fenced = None;
        if case.restart {
            // The first instance writes the first transaction and stops before its end; the
            // second, with the same transactional.id, starts over from it.
            run(&first, 0, true)?;
            let second = transactional(Some(&bootstraps))?;
            second
                .init_transactions(t)
                .map_err(|e| format!("init: {e}"))?;
            run(&second, 0, false)?;
            // Is the first instance fenced? Its commit would be refused.
            fenced = Some(first.commit_transaction(t).is_err());
        } else {
            run(&first, 0, false)?;
        }
        let mut out = format!(
            "read_committed {}; read_uncommitted {}",
            read_log_as(&bootstraps, 0, "read_committed")?,
            read_log_as(&bootstraps, 0, "read_uncommitted")?
        );
        match fenced {
            Some(true) => out.push_str("; first instance fenced"),
            Some(false) => out.push_str("; first instance not fenced"),
            None => {}
        }
        Ok(out)
    }

    fn read_log_as(bootstraps: &str, partition: i32, isolation: &str) -> Result<String, String> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", bootstraps)
            .set("group.id", "conformance")
            .set("enable.auto.commit", "false")
            .set("isolation.level", isolation)
            .set("log_level", "0")
            .create()
            .map_err(|e| format!("consumer: {e}"))?;
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(TOPIC, partition, Offset::Beginning)
            .map_err(|e| e.to_string())?;
        consumer.assign(&tpl).map_err(|e| e.to_string())?;
        let mut log = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match consumer.poll(Duration::from_millis(200)) {
                Some(Ok(m)) => {
                    if let Some(Ok(p)) = m.payload_view::<str>() {
                        log.push(p.to_string());
                    }
                }
                Some(Err(e)) => return Err(format!("consume: {e}")),
                None if !log.is_empty() => break,
                None => {}
            }
        }
        Ok(log.join(","))
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use run::*;
    println!("| scenario | mode | delivery-sim log (failed) | librdkafka log (failed), {RUNS} runs | agree |");
    println!("|---|---|---|---|---|");
    let mut failed = false;
    for case in &CASES {
        let mode = case.preset.map_or("the file's settings", |p| p.name());
        let run = || librdkafka(case);
        failed |= !row(case.name, mode, &engine(case), run, case.librdkafka_differs);
    }
    for case in &TXN_CASES {
        let run = || librdkafka_txn(case);
        let engine = engine_txn(case);
        failed |= !row(
            case.name,
            "the file's settings",
            &engine,
            run,
            case.librdkafka_differs,
        );
    }
    if failed {
        std::process::exit(1);
    }
}

/// Runs librdkafka `RUNS` times and prints the row; whether it agrees (or differs as
/// documented, `differs` being what librdkafka gives instead).
/// librdkafka runs of each row: a row whose runs differ is FLAKY, not passed by luck.
#[cfg(not(target_arch = "wasm32"))]
const RUNS: usize = 3;

#[cfg(not(target_arch = "wasm32"))]
fn row(
    name: &str,
    mode: &str,
    engine: &str,
    run: impl Fn() -> Result<String, String>,
    differs: Option<&str>,
) -> bool {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..RUNS {
        let got = run().unwrap_or_else(|e| format!("error: {e}"));
        if !seen.contains(&got) {
            seen.push(got);
        }
    }
    let want = differs.unwrap_or(engine);
    let agree = seen.len() == 1 && seen[0] == want;
    let verdict = match (agree, seen.len(), differs) {
        (true, _, None) => "yes",
        (true, _, Some(_)) => "differs, as documented",
        (false, 1, _) => "NO",
        (false, _, _) => "FLAKY",
    };
    println!(
        "| {name} | {mode} | {engine} | {} | {verdict} |",
        seen.join(" / ")
    );
    agree
}

#[cfg(target_arch = "wasm32")]
fn main() {}
