//! Generates `ui/src/lib/bindings.ts`: the TypeScript declarations of every type that crosses
//! IPC (from the Rust types, via ts-rs) and a typed wrapper per command. The file is
//! committed; a test fails when it is stale (`RISKVERKSTAD_WRITE_BINDINGS=1 cargo test -p
//! riskverkstad-app bindings` rewrites it).

use ts_rs::{Config, TS};

/// One command's wrapper: `export function fooBar(arg: T): Promise<R>`.
pub fn wrapper(name: &str, doc: &str, args: &[(&str, String)], ret: &str) -> String {
    let camel = |s: &str| {
        let mut out = String::new();
        let mut upper = false;
        for c in s.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    let params = args.iter().map(|(a, t)| format!("{}: {t}", camel(a))).collect::<Vec<_>>().join(", ");
    let payload = args.iter().map(|(a, _)| camel(a)).collect::<Vec<_>>().join(", ");
    let call =
        if args.is_empty() { format!("invoke(\"{name}\")") } else { format!("invoke(\"{name}\", {{ {payload} }})") };
    format!("/**{doc} */\nexport function {}({params}): Promise<{ret}> {{\n  return {call};\n}}", camel(name))
}

/// The whole bindings file: the declarations, the Swedish labels, the command wrappers.
pub fn typescript() -> String {
    let cfg = Config::default();
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit: run\n\
         // `RISKVERKSTAD_WRITE_BINDINGS=1 cargo test -p riskverkstad-app bindings` after changing them.\n\
         /* eslint-disable */\n\
         import { invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    for d in declarations(&cfg) {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "/** Swedish labels of the stored enum values, generated from the Rust enums. */\nexport const LABELS = {{\n{}\n}} as const;\n\n",
        labels(&cfg).join("\n")
    ));
    for w in crate::commands::typescript_wrappers(&cfg) {
        out.push_str(&w);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The TypeScript declaration of every type that crosses IPC.
fn declarations(cfg: &Config) -> Vec<String> {
    use riskverkstad_core::{
        due::*, gather::*, method::*, model::*, ops::*, profile::*, register_list::*, risk::*, store::*, views::*,
    };
    let mut decls: Vec<String> = Vec::new();
    macro_rules! decl {
        ($($t:ty),* $(,)?) => {$( decls.push(format!("export {}", <$t as TS>::decl(cfg))); )*};
    }
    // The core's own lists: the ids (every record kind's, from the one list of kinds), every
    // stored enum, every record.
    decl!(riskverkstad_core::ids::InstallationId, riskverkstad_core::ids::Timestamp);
    macro_rules! decl_id {
        ($t:ty) => {
            decl!(<$t as riskverkstad_core::record::Record>::Id);
        };
    }
    riskverkstad_core::for_each_record!(decl_id);
    riskverkstad_core::for_each_text_enum!(decl);
    riskverkstad_core::for_each_record!(decl);
    // The method's parts, nested values of records, and the read models.
    decl!(ScaleLevel, ClassificationScale, ConsequenceArea, AcceptanceRule, RiskBand, CellOverride, RiskMatrix, Method);
    decl!(
        AspectAssessment,
        AreaAssessment,
        AspectDraft,
        ClassificationDraft,
        NewRisk,
        NewAction,
        NewAnalysis,
        Assessment,
        Faststallande,
        riskverkstad_core::gaps::Gap,
        riskverkstad_core::gaps::GapCount,
        riskverkstad_core::ops::ClassificationPreview,
        Condition,
        KeyFigures,
        ExtraAttribute,
        riskverkstad_core::decisions::DecisionVersion
    );
    decl!(AspectProfile, ProtectionProfile, RiskLevel, AcceptanceProblem, AcceptanceCheck, DueItem);
    decl!(
        Levels,
        RegisterRow,
        SortKey,
        RegisterQuery,
        RequirementRow,
        Installation,
        AuditEntry,
        CheckReport,
        UndoTarget
    );
    decl!(BandShift, MethodPreview);
    decl!(
        RoleHolder,
        SetView,
        DependencyView,
        RiskView,
        AnalysisView,
        SystemView,
        ForvaltningSummary,
        HeatCell,
        TopRisk,
        Overview,
        ActionPlanRow,
        IncidentRow,
        IncidentView,
        LinkLine,
        ReportLine,
        NewIncident,
        ReportSent,
        Moment,
        riskverkstad_core::incident::Deadline,
        ControlRow,
        ControlView,
        ExceptionRow,
        ControlDone,
        NewControl,
        NewException,
        ControlOutcome
    );
    decl!(
        riskverkstad_core::exchange::Fingerprint,
        riskverkstad_core::exchange::Identity,
        riskverkstad_core::exchange::TrustedKey,
        riskverkstad_core::exchange::TrustState,
        riskverkstad_core::exchange::SenderRole,
        riskverkstad_core::exchange::TrustTerms,
        riskverkstad_core::exchange::Allowance,
        riskverkstad_core::exchange::Refusal,
        riskverkstad_core::exchange::SignerInfo,
        riskverkstad_core::exchange::ChangeKind,
        riskverkstad_core::exchange::FieldDiff,
        riskverkstad_core::exchange::PlannedChange,
        riskverkstad_core::exchange::KindCounts,
        riskverkstad_core::exchange::MergePlan,
        riskverkstad_core::exchange::BundleSummary,
        riskverkstad_core::exchange::ImportReport,
        riskverkstad_core::exchange::ImportProgress,
        riskverkstad_core::register_file::Field,
        riskverkstad_core::register_file::ColumnMapping,
        riskverkstad_core::register_file::Mapping,
        riskverkstad_core::register_file::RowAction,
        riskverkstad_core::register_file::RowProblem,
        riskverkstad_core::register_file::RowReport,
        riskverkstad_core::register_file::ImportCounts,
        riskverkstad_core::register_file::RegisterImportReport,
        riskverkstad_core::register_file::UnreadValue,
        riskverkstad_core::register_file::OrgNode,
        riskverkstad_core::register_file::UnitNode,
        riskverkstad_core::register_file::LevelFound,
        riskverkstad_core::register_file::LevelRole,
        riskverkstad_core::register_file::ValueChoice,
        riskverkstad_core::register_file::ValueFound,
        riskverkstad_core::register_file::ValueTarget,
        riskverkstad_core::exchange::Conflict,
        riskverkstad_core::exchange::Resolution
    );
    // The shell's own.
    decl!(
        crate::error::IpcError,
        crate::commands::AppInfo,
        crate::commands::RegisterPage,
        crate::commands::RegisterHits,
        crate::commands::ReportPreview,
        crate::commands::ExchangeState,
        crate::commands::BundlePreview,
        crate::commands::RegisterColumn,
        crate::commands::FieldChoice,
        crate::commands::RegisterFilePreview,
        crate::commands::LevelChoice,
        crate::commands::SecurityOverview,
        crate::state::Gate,
        crate::state::GateKind,
        crate::zoom::ZoomChange,
        crate::zoom::Zoomed,
        riskverkstad_core::backup::BackupInfo,
        riskverkstad_core::backup::BackupCheck,
        riskverkstad_core::backup::BackupUsage,
        riskverkstad_core::backup::Rekeyed,
        riskverkstad_core::store::Strength,
        riskverkstad_core::usecase::decide::Decided
    );

    decls
}

/// The Swedish label of every stored enum value, from the same definitions as the keys.
fn labels(cfg: &Config) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    macro_rules! label {
        ($t:ty) => {{
            let entries: Vec<String> =
                <$t>::ALL.iter().map(|v| format!("    {:?}: {:?},", v.key(), v.label())).collect();
            let name = <$t as TS>::name(cfg);
            labels.push(format!("  {name}: {{\n{}\n  }},", entries.join("\n")));
        }};
    }
    riskverkstad_core::for_each_text_enum!(label);

    labels
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn committed_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
    }

    #[test]
    fn bindings_are_up_to_date() {
        let generated = super::typescript();
        let path = committed_path();
        if std::env::var_os("RISKVERKSTAD_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("write bindings");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: run `RISKVERKSTAD_WRITE_BINDINGS=1 cargo test -p riskverkstad-app bindings` and commit it",
            path.display()
        );
    }

    #[test]
    fn every_record_kind_and_its_id_have_a_typescript_type() {
        let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
        let cfg = ts_rs::Config::default();
        let mut missing = Vec::new();
        macro_rules! check {
            ($t:ty) => {
                for name in [
                    <$t as ts_rs::TS>::name(&cfg),
                    <<$t as riskverkstad_core::record::Record>::Id as ts_rs::TS>::name(&cfg),
                ] {
                    if !committed.contains(&format!("export type {name} = ")) {
                        missing.push(name);
                    }
                }
            };
        }
        riskverkstad_core::for_each_record!(check);
        assert!(missing.is_empty(), "record kinds or ids without a type in bindings.ts: {missing:?}");
    }

    #[test]
    fn the_capability_grants_exactly_the_commands() {
        let listed: Vec<&str> =
            include_str!("../commands.txt").lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            listed,
            crate::commands::NAMES,
            "commands.txt (the permission manifest) and the commands! list differ"
        );
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).expect("capability JSON");
        let granted: Vec<String> = cap["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().unwrap_or("").to_string())
            .collect();
        // Besides the app's commands: its own events (the zoom is the app's `zoom` command, so
        // the page may not set it itself).
        let mut expected: Vec<String> = vec!["core:event:allow-listen".into(), "core:event:allow-unlisten".into()];
        expected.extend(crate::commands::NAMES.iter().map(|c| format!("allow-{}", c.replace('_', "-"))));
        assert_eq!(granted, expected, "the capability must grant the app's commands and its events, and nothing else");
    }

    #[test]
    fn the_csp_allows_no_remote_origin_and_no_eval() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json");
        let csp = conf["app"]["security"]["csp"].as_object().expect("CSP written out per directive");
        for (directive, value) in csp {
            let v = value.as_str().unwrap_or("");
            assert!(!v.contains("unsafe-eval") && !v.contains("unsafe-inline"), "{directive}: {v}");
            assert!(
                !v.contains("https:") && !v.contains("http:") || v == "ipc: http://ipc.localhost",
                "{directive}: {v}"
            );
            assert!(!v.contains('*'), "{directive}: {v}");
        }
        assert_eq!(csp["default-src"], "'self'");
        assert_eq!(csp["object-src"], "'none'");
    }
}
