// Temporary: in-process cost of planning the IDE targets (removed after measuring).
use std::time::Instant;
fn main() {
    let t = std::env::args().nth(1).unwrap();
    let env_plain = modroute_core::Env::from_vars([("HOME", format!("{t}/plain")), ("PATH", "/usr/bin:/bin".into())]);
    let env_ide = modroute_core::Env::from_vars([("HOME", format!("{t}/ide")), ("PATH", "/usr/bin:/bin".into())]);
    let p = modroute_core::profile::load(&env_plain).unwrap().get("official").unwrap().clone();
    for (name, env) in [("plain", &env_plain), ("ide", &env_ide)] {
        let n = 300;
        let start = Instant::now();
        for _ in 0..n {
            let plan = modroute_core::plan::for_profile(env, &p).unwrap();
            std::hint::black_box(plan);
        }
        println!("{name}: {:.3} ms per plan", start.elapsed().as_secs_f64() * 1e3 / n as f64);
    }
    let prefs = modroute_core::targets::load(&env_ide).unwrap();
    let n = 300;
    let start = Instant::now();
    for _ in 0..n {
        let mut plan = modroute_core::plan::Plan::new("x");
        modroute_core::ides::plan_vscode(&env_ide, &p, &prefs, &mut plan).unwrap();
        std::hint::black_box(plan);
    }
    println!("vscode: {:.3} ms", start.elapsed().as_secs_f64() * 1e3 / n as f64);
    let start = Instant::now();
    for _ in 0..n {
        let mut plan = modroute_core::plan::Plan::new("x");
        modroute_core::ides::plan_jetbrains(&p, &prefs.jetbrains_projects, &mut plan).unwrap();
        std::hint::black_box(plan);
    }
    println!("jetbrains: {:.3} ms", start.elapsed().as_secs_f64() * 1e3 / n as f64);
}
