//! `cfg(txn)`: this build runs transactions (feature `transactions`, and not the embed page's
//! `lean` engine), so the engine's many transactional hooks read `#[cfg(txn)]`.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(txn)");
    let on = |f: &str| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some();
    if on("TRANSACTIONS") && !on("LEAN") {
        println!("cargo::rustc-cfg=txn");
    }
}
