//! Importing a 5,000-row register from Excel into a municipality that has none yet: reading
//! the xlsx, proposing the mapping, planning every row and importing in one transaction. The
//! file is a 5,000-system demo municipality's own export (42 columns, people, suppliers,
//! dependencies, extra attributes). Then the same for a municipality's published register of
//! the same size with issue #18's patterns (organisation paths with bolag, dependency cells
//! `Name: criticality (kind)`, graded answers, phrases, several names per cell, yearly
//! questions), and the ratio of the two measured in this run. Prints each step. Run with
//! `cargo bench -p riskverkstad-core --bench register_file`.

use chrono::NaiveDate;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::model::{Forvaltning, Organisation, System};
use riskverkstad_core::register_file::{Mapping, export};
use riskverkstad_core::store::{Read, Store};
use riskverkstad_sheets::Table;
use std::path::Path;
use std::time::{Duration, Instant};

/// `cargo bench` passes `--bench`: the full size; `cargo test --all-targets` runs a small one.
fn rows() -> usize {
    if std::env::args().any(|a| a == "--bench") { 5000 } else { 40 }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = rows();
    let mut source = Store::open(&dir.path().join("kalla.db")).expect("open");
    build(&mut source, &DemoConfig { systems: n, seed: 3, today: NaiveDate::from_ymd_opt(2026, 11, 22) })
        .expect("demo");
    let mut table = export(&source, None).expect("export");
    // A department's file has no Riskverkstad ids: drop the column, so every row is new.
    let id = table.headers.iter().position(|h| h.starts_with("Id")).expect("id column");
    table.headers.remove(id);
    for r in &mut table.rows {
        r.cells.remove(id);
    }
    let xlsx = riskverkstad_sheets::write_xlsx(&table).expect("xlsx");
    let forvaltningar: Vec<Forvaltning> = source.list().expect("list");

    let organisation = |target: &mut Store| {
        target
            .write("Organisation", |w| {
                let o = w.insert(Organisation { name: "Norrvik kommun".into(), ..Default::default() })?;
                for f in &forvaltningar {
                    w.insert(Forvaltning { organisation_id: o.id, id: Default::default(), ..f.clone() })?;
                }
                Ok(())
            })
            .expect("organisation");
    };
    let (best, created) = best_of_three(dir.path(), "mal", &xlsx, &organisation, &|t| Mapping::propose(&t.headers));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "register file: {} rows, {} columns, {:.1} MB xlsx",
        table.rows.len(),
        table.headers.len(),
        xlsx.len() as f64 / 1e6
    );
    println!("read xlsx:          {:>8.0} ms", ms(best[0]));
    println!("mapping + plan (dry run): {:>8.0} ms", ms(best[1]));
    println!("import (plan again + write, one transaction): {:>8.0} ms", ms(best[2]));
    println!("read + dry run + import: {:>8.0} ms   ({created} systems created)", ms(best[3]));

    // A municipality's published register of the same size, with every pattern of issue #18.
    let sheet = riskverkstad_core::demo::municipal_sheet::municipal_sheet(n, 1);
    let xlsx = riskverkstad_sheets::write_xlsx(&sheet.table).expect("xlsx");
    let setup = |target: &mut Store| {
        riskverkstad_core::ops::setup(
            target,
            riskverkstad_core::demo::municipal_sheet::MUNICIPALITY,
            "Socialförvaltningen",
            "SOC",
        )
        .expect("setup");
    };
    let map = |t: &Table| riskverkstad_core::register_file::value_mapping::complete(Mapping::propose(&t.headers), t);
    let (real, created) = best_of_three(dir.path(), "kommun", &xlsx, &setup, &map);
    assert_eq!(created as usize, sheet.systems, "no row lost");
    println!(
        "municipal register: {} rows, {} columns, {:.1} MB xlsx, {} dependencies on systems",
        sheet.systems,
        sheet.table.headers.len(),
        xlsx.len() as f64 / 1e6,
        sheet.dependencies_on_systems
    );
    println!("read xlsx:          {:>8.0} ms", ms(real[0]));
    println!("mapping + value mapping + plan (dry run): {:>8.0} ms", ms(real[1]));
    println!("import (plan again + write, one transaction): {:>8.0} ms", ms(real[2]));
    println!("read + dry run + import: {:>8.0} ms", ms(real[3]));
    println!(
        "ratio municipal / exported register (read + dry run + import): {:.2}",
        real[3].as_secs_f64() / best[3].as_secs_f64()
    );
}

/// Best of three runs of a register import into a new database that `setup` prepares: read
/// the xlsx, choose the mapping (`map`) and plan (the dry run), import in one transaction.
/// Returns the times of [read, mapping + plan, import, all of it] and the systems created
/// (each run checks that the database holds them).
fn best_of_three(
    dir: &Path,
    name: &str,
    xlsx: &[u8],
    setup: &dyn Fn(&mut Store),
    map: &dyn Fn(&Table) -> Mapping,
) -> ([Duration; 4], u32) {
    let mut best = [Duration::MAX; 4];
    let mut created = 0;
    for run in 0..3 {
        let mut target = Store::open(&dir.join(format!("{name}{run}.db"))).expect("open");
        setup(&mut target);
        let t = Instant::now();
        let (read, _) = riskverkstad_sheets::read(xlsx, None, "register", Default::default()).expect("read");
        let t_read = t.elapsed();
        let t2 = Instant::now();
        let mapping = map(&read);
        let plan = riskverkstad_core::register_file::plan_register_import(&target, &read, &mapping).expect("plan");
        let t_plan = t2.elapsed();
        let t3 = Instant::now();
        let done = riskverkstad_core::register_file::import_register(&mut target, &read, &mapping, Some(&plan.digest))
            .expect("import");
        let t_import = t3.elapsed();
        created = done.counts.created;
        assert_eq!(target.count::<System>().expect("count") as u32, created);
        let total = t.elapsed();
        for (b, d) in best.iter_mut().zip([t_read, t_plan, t_import, total]) {
            *b = (*b).min(d);
        }
    }
    (best, created)
}
