//! Change attestations (bundle format version 2): each installation signs the record versions
//! it made, so that a receiver can tell who made a change also when a central office relays it.
//!
//! An attestation batch is one installation's signed list, made at export, of its own changes
//! that had not been attested before: a line per record version, `record <table> <id> <n>
//! <sha256>` (or `deletion …` for a deletion), where `n` is the installation's own counter in
//! the record's version vector after the change and `sha256` the hash of the record's content
//! in its canonical form ([`content_sha256`]). Batches travel in `attestations.json` and are
//! stored as signed, so a relay passes them on unchanged.
//!
//! Who may sign for an installation: the key the receiver has bound to its id (learnt from
//! that installation's own bundle, or vouched for by a central office's bundle). A batch signed
//! by another key is refused with the bundle.

use super::diff::is_reference;
use super::exchange_error;
use super::inputs::{Attestation, Attested, Batch, Checked, Fk};
use super::trust::SenderRole;
use crate::error::Result;
use crate::store::Versions;
use riskverkstad_bundle::{CHANGE_NAMESPACE, PublicKey, SecretKey, sha256_hex};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The first line of a batch's body.
const HEADER: &str = "riskverkstad-change 1";

/// Whether a reference to `target` may be rewritten to another id by a receiver (the target
/// is matched by its natural key): such references are hashed as the natural key.
fn aliased(target: &str) -> bool {
    is_reference(target) || matches!(target, "system_information_set" | "requirement_status")
}

/// The hash an attestation states of a record: SHA-256 of its JSON with sorted keys, each
/// reference to a record matched by natural key (a förvaltning, a catalogue requirement, …)
/// replaced by that key, so that a receiver who knows the target under another id computes the
/// same hash. `natural` gives the natural key of a referenced record, if known.
pub(crate) fn content_sha256(
    table: &str,
    obj: &Map<String, Value>,
    fks: &[Fk],
    natural: &dyn Fn(&'static str, &str) -> Option<String>,
) -> String {
    let mut canonical: std::collections::BTreeMap<&str, Value> =
        obj.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    for fk in fks.iter().filter(|f| f.table == table && aliased(f.target)) {
        if let Some(Value::String(id)) = obj.get(&fk.column)
            && let Some(nk) = natural(fk.target, id)
        {
            canonical.insert(fk.column.as_str(), Value::String(format!("{}:{nk}", fk.target)));
        }
    }
    sha256_hex(&serde_json::to_vec(&canonical).unwrap_or_default())
}

/// The hash an attestation states of a deletion.
pub(crate) fn deletion_sha256(table: &str, id: &str) -> String {
    sha256_hex(format!("deletion\n{table}\n{id}").as_bytes())
}

/// One attested change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub deletion: bool,
    pub table: String,
    pub id: String,
    pub n: u64,
    pub sha256: String,
}

fn body_of(installation: &str, lines: &[Line]) -> String {
    let mut body = format!("{HEADER}\ninstallation {installation}\n");
    for l in lines {
        let what = if l.deletion { "deletion" } else { "record" };
        body.push_str(&format!("{what} {} {} {} {}\n", l.table, l.id, l.n, l.sha256));
    }
    body
}

fn parse_body(body: &str) -> std::result::Result<(String, Vec<Line>), String> {
    let mut it = body.lines();
    if it.next() != Some(HEADER) {
        return Err("okänd rubrik".into());
    }
    let installation =
        it.next().and_then(|l| l.strip_prefix("installation ")).ok_or("installationen saknas")?.to_string();
    let mut lines = Vec::new();
    for (i, l) in it.enumerate() {
        let parts: Vec<&str> = l.split(' ').collect();
        let [what, table, id, n, sha] = parts.as_slice() else {
            return Err(format!("rad {} har fel form", i + 3));
        };
        let deletion = match *what {
            "record" => false,
            "deletion" => true,
            _ => return Err(format!("rad {} har fel form", i + 3)),
        };
        let n: u64 = n.parse().map_err(|_| format!("rad {} har ett ogiltigt nummer", i + 3))?;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("rad {} har en ogiltig kontrollsumma", i + 3));
        }
        lines.push(Line { deletion, table: table.to_string(), id: id.to_string(), n, sha256: sha.to_string() });
    }
    Ok((installation, lines))
}

/// The keys this installation has bound to installation ids: its own and those learnt.
pub(crate) fn bindings(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare("SELECT installation_id, public_key FROM installation_key")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, key) = row?;
        out.insert(id, key);
    }
    let own: Option<(String, String)> = conn
        .query_row("SELECT (SELECT id FROM installation LIMIT 1), public_key FROM identity", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((id, key)) = own {
        out.insert(id, key);
    }
    Ok(out)
}

/// The key part of an OpenSSH public key line (type and base64), for comparing keys whatever
/// their comments.
fn key_part(line: &str) -> String {
    line.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// Checks a bundle's attestations: every batch's signature, and that it is signed with the
/// key bound to its installation. A key not yet bound is taken from the sender for its own
/// installation, from the trust list (a trusted key vouches for itself), and from a central
/// sender for any (it vouches for them); a department cannot introduce another
/// installation's key, so such a batch is left out (it attests nothing).
pub(crate) fn check(
    conn: &Connection,
    entry: Option<&[u8]>,
    sender: (&str, &str, &PublicKey),
    role: Option<SenderRole>,
) -> Result<Attested> {
    let (sender_id, sender_name, sender_key) = sender;
    let bad = |what: String| exchange_error("attestation", what);
    let batches: Vec<Batch> = match entry {
        None => return Ok(Attested::default()),
        Some(bytes) => serde_json::from_slice(bytes)
            .map_err(|e| bad(format!("{} kunde inte läsas: {e}", riskverkstad_bundle::ATTESTATIONS)))?,
    };
    let known = bindings(conn)?;
    // Keys in the trust list vouch for themselves: a batch signed with one binds the
    // installation it names to that key.
    let mut trusted: HashMap<String, String> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT public_key, name FROM trusted_key WHERE revoked_at IS NULL")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (k, n) = row?;
            trusted.insert(key_part(&k), n);
        }
    }
    let mut out = Attested::default();
    for batch in batches {
        let (installation, lines) = parse_body(&batch.body)
            .map_err(|e| bad(format!("en ändringsintygan från {} har fel form: {e}", batch.name)))?;
        if installation != batch.installation {
            return Err(bad(format!(
                "en ändringsintygan från {} gäller en annan installation än den anger",
                batch.name
            )));
        }
        let key = PublicKey::from_openssh(&batch.public_key)?;
        key.verify_in(CHANGE_NAMESPACE, batch.body.as_bytes(), batch.signature.as_bytes()).map_err(|_| {
            bad(format!("ändringsintygan från {} har en ogiltig signatur; paketet tas inte emot", batch.name))
        })?;
        let learnt_from = match known.get(&installation) {
            Some(k) if key_part(k) == key_part(&batch.public_key) => None,
            Some(_) => {
                return Err(bad(format!(
                    "ändringsintygan för {} ({installation}) är signerad med en annan nyckel än den installationen har; paketet tas inte emot",
                    batch.name
                )));
            }
            None if installation == sender_id => {
                if key != *sender_key {
                    return Err(bad(format!(
                        "ändringsintygan för avsändarens installation är signerad med en annan nyckel än paketet ({})",
                        batch.name
                    )));
                }
                Some(sender_name.to_string())
            }
            None if trusted.contains_key(&key_part(&batch.public_key)) => {
                Some(format!("betrodd nyckel {}", trusted[&key_part(&batch.public_key)]))
            }
            None if role == Some(SenderRole::Central) => Some(format!("intygad av {sender_name}")),
            None => continue, // a department cannot vouch for another installation's key
        };
        let index = out.batches.len();
        for l in lines {
            out.lines.entry((l.table, l.id, installation.clone())).or_default().push(Attestation {
                n: l.n,
                sha256: l.sha256,
                batch: index,
            });
        }
        out.batches.push(Checked { sha256: sha256_hex(batch.body.as_bytes()), batch, learnt_from });
    }
    Ok(out)
}

/// Stores what an import keeps of a bundle's attestations: the keys it learnt, and for each
/// record version written, the attestations of the counters in its vector.
pub(crate) fn store_received(
    conn: &Connection,
    attested: &Attested,
    written: &[(String, String, String, Versions)],
    now: &str,
) -> Result<()> {
    if attested.is_empty() {
        return Ok(());
    }
    for c in &attested.batches {
        if let Some(from) = &c.learnt_from {
            let fp = PublicKey::from_openssh(&c.batch.public_key)?.fingerprint().openssh;
            conn.prepare_cached(
                "INSERT OR IGNORE INTO installation_key (installation_id, name, public_key, fingerprint, learnt_from, learnt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![c.batch.installation, c.batch.name, c.batch.public_key, fp, from, now])?;
        }
    }
    let mut used = vec![false; attested.batches.len()];
    let mut rows = Vec::new();
    for (table, foreign_id, local_id, versions) in written {
        for (inst, n) in versions {
            if let Some((_, b)) = attested.of(table, foreign_id, inst, *n) {
                used[b] = true;
                rows.push((table, local_id, inst, *n, b));
            }
        }
    }
    let mut ids: HashMap<usize, i64> = HashMap::new();
    for (b, (c, _)) in attested.batches.iter().zip(&used).enumerate().filter(|(_, (_, u))| **u) {
        ids.insert(
            b,
            put_batch(conn, &c.sha256, &c.batch.installation, &c.batch.public_key, &c.batch.body, &c.batch.signature)?,
        );
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO attestation (record_table, record_id, installation_id, n, batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (record_table, record_id, installation_id) DO UPDATE SET
             n = excluded.n, batch_id = excluded.batch_id
         WHERE excluded.n >= attestation.n",
    )?;
    for (table, id, inst, n, b) in rows {
        stmt.execute(params![table, id, inst, n as i64, ids[&b]])?;
    }
    Ok(())
}

/// Stores a batch as signed (once) and gives its id.
fn put_batch(conn: &Connection, sha: &str, installation: &str, key: &str, body: &str, signature: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO attestation_batch (sha256, installation_id, public_key, body, signature)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![sha, installation, key, body, signature])?;
    Ok(conn.prepare_cached("SELECT id FROM attestation_batch WHERE sha256 = ?1")?.query_row([sha], |r| r.get(0))?)
}

/// Binds the sender's installation id to its key on its first bundle (a later bundle claiming
/// the id with another key is refused by [`claim`]).
pub(crate) fn bind_sender(conn: &Connection, installation: &str, name: &str, key: &PublicKey, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO installation_key (installation_id, name, public_key, fingerprint, learnt_from, learnt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![installation, name, key.to_openssh(), key.fingerprint().openssh, name, now])?;
    Ok(())
}

/// Refuses a bundle whose manifest claims an installation id bound to another key (or this
/// installation's own id).
pub(crate) fn claim(conn: &Connection, installation: &str, sender_name: &str, key: &PublicKey) -> Result<()> {
    let me: String = conn.query_row("SELECT id FROM installation LIMIT 1", [], |r| r.get(0))?;
    if installation == me {
        return Err(exchange_error(
            "installation_claim",
            format!("Paketet från {sender_name} anger den här installationens id som sitt eget. Det tas inte emot."),
        ));
    }
    let bound: Option<(String, String)> = conn
        .query_row("SELECT public_key, name FROM installation_key WHERE installation_id = ?1", [installation], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((bound_key, bound_name)) = bound
        && key_part(&bound_key) != key_part(&key.to_openssh())
    {
        return Err(exchange_error(
            "installation_claim",
            format!(
                "Paketet från {sender_name} utger sig för att komma från installationen {bound_name} ({installation}), men den installationen har en annan nyckel här. Det tas inte emot."
            ),
        ));
    }
    Ok(())
}

/// The attestation batches an export carries: the stored batches that attest the newest
/// counter of an exported record, and a new batch of this installation's own changes not yet
/// attested, signed now and stored.
pub(crate) fn for_export(
    conn: &Connection,
    (key, me, name): (&SecretKey, &str, &str),
    records: &[(&'static str, &Map<String, Value>, &Versions)],
    deletions: &[(&str, &str, &Versions)],
    fks: &[Fk],
    natural: &dyn Fn(&'static str, &str) -> Option<String>,
) -> Result<Vec<Batch>> {
    // The newest stored attestation per record and installation.
    let mut stored: HashMap<(String, String, String), (u64, i64)> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT record_table, record_id, installation_id, n, batch_id FROM attestation")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (t, id, inst, n, b) = row?;
            stored.insert((t, id, inst), (n as u64, b));
        }
    }
    // Versions as last received: while a record still has them, its newest change is not ours.
    let mut received: HashMap<(String, String), String> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT record_table, record_id, versions FROM received_change ORDER BY received_at")?;
        for row in
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        {
            let (t, id, v) = row?;
            received.insert((t, id), v);
        }
    }
    let mut batches: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
    let mut own: Vec<Line> = Vec::new();
    let mut consider = |table: &str, id: &str, versions: &Versions, deletion: bool, sha: &dyn Fn() -> String| {
        for (inst, n) in versions {
            let k = (table.to_string(), id.to_string(), inst.clone());
            match stored.get(&k) {
                Some((m, b)) if m == n => {
                    batches.insert(*b);
                }
                _ if inst == me => {
                    let last_received = received.get(&(table.to_string(), id.to_string()));
                    let ours = last_received.is_none_or(|v| serde_json::to_string(versions).ok().as_ref() != Some(v));
                    if ours {
                        own.push(Line { deletion, table: table.to_string(), id: id.to_string(), n: *n, sha256: sha() });
                    }
                }
                _ => {}
            }
        }
    };
    for (table, obj, versions) in records {
        let id = obj.get("id").and_then(Value::as_str).unwrap_or_default();
        consider(table, id, versions, false, &|| content_sha256(table, obj, fks, natural));
    }
    for (table, id, versions) in deletions {
        consider(table, id, versions, true, &|| deletion_sha256(table, id));
    }
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare_cached("SELECT installation_id, public_key, body, signature FROM attestation_batch WHERE id = ?1")?;
    let names = super::trust::installation_names(conn)?;
    for id in &batches {
        let (installation, public_key, body, signature): (String, String, String, String) =
            stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        let name = names.get(&installation).cloned().unwrap_or_else(|| installation.clone());
        out.push(Batch { installation, name, public_key, body, signature });
    }
    if !own.is_empty() {
        let body = body_of(me, &own);
        let signature = key.sign_in(CHANGE_NAMESPACE, body.as_bytes())?;
        let public_key = key.public().to_openssh();
        let batch_id = put_batch(conn, &sha256_hex(body.as_bytes()), me, &public_key, &body, &signature)?;
        let mut put = conn.prepare_cached(
            "INSERT INTO attestation (record_table, record_id, installation_id, n, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (record_table, record_id, installation_id) DO UPDATE SET
                 n = excluded.n, batch_id = excluded.batch_id",
        )?;
        for l in &own {
            put.execute(params![l.table, l.id, me, l.n as i64, batch_id])?;
        }
        out.push(Batch { installation: me.to_string(), name: name.to_string(), public_key, body, signature });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_reads_back_as_written_and_a_changed_line_is_refused() {
        let lines = vec![
            Line { deletion: false, table: "system".into(), id: "a".into(), n: 3, sha256: "0".repeat(64) },
            Line { deletion: true, table: "risk".into(), id: "b".into(), n: 1, sha256: "f".repeat(64) },
        ];
        let body = body_of("inst", &lines);
        assert_eq!(parse_body(&body).unwrap(), ("inst".to_string(), lines));
        assert!(parse_body(&body.replace("record system", "rekord system")).is_err());
        assert!(parse_body(&body.replace(" 3 ", " tre ")).is_err());
        assert!(parse_body("annat\n").is_err());
    }

    #[test]
    fn the_hash_names_a_matched_reference_by_its_natural_key_not_its_id() {
        let fks = vec![Fk { table: "system", column: "forvaltning_id".into(), target: "forvaltning" }];
        let rec = |f: &str| {
            serde_json::json!({"id": "s", "name": "Procapita", "forvaltning_id": f}).as_object().unwrap().clone()
        };
        let natural = |_: &'static str, id: &str| (id == "f1" || id == "f2").then(|| "socialförvaltningen".to_string());
        // The same förvaltning under two installations' ids hashes the same …
        assert_eq!(
            content_sha256("system", &rec("f1"), &fks, &natural),
            content_sha256("system", &rec("f2"), &fks, &natural)
        );
        // … another förvaltning does not, nor does another name.
        assert_ne!(
            content_sha256("system", &rec("f1"), &fks, &natural),
            content_sha256("system", &rec("f3"), &fks, &natural)
        );
        let mut renamed = rec("f1");
        renamed.insert("name".into(), Value::String("Treserva".into()));
        assert_ne!(
            content_sha256("system", &rec("f1"), &fks, &natural),
            content_sha256("system", &renamed, &fks, &natural)
        );
    }
}
