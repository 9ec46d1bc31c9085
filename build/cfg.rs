//! `cfg(txn)`: this page runs transactions (feature `transactions`, and not the embed page,
//! whose engine has none): the app's transactional views read `#[cfg(txn)]`, as the engine's
//! own hooks do.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(txn)");
    let on = |f: &str| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some();
    if on("TRANSACTIONS") && !on("EMBED") {
        println!("cargo::rustc-cfg=txn");
    }
}
