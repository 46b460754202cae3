//! A candidate's answers file: TOML (`[answers]` then `q1 = 0.845`) or CSV (header `id,value`).
//! Anything that is not exactly that (unknown or repeated ids, values that are not numbers, a cut
//! line, bytes that are not UTF-8) is refused with one line naming the place, so a typo is never
//! graded as a wrong answer.

/// Why an answers file cannot be read: one line, naming the line or key and the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadAnswers(pub String);

/// Reads answers from the bytes of `file_name` (TOML unless it ends in `.csv` or starts with an
/// `id,value` header), each id one of `ids`, none twice. Returns (id, value) in file order.
pub fn parse(file_name: &str, bytes: &[u8], ids: &[String]) -> Result<Vec<(String, f64)>, BadAnswers> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        BadAnswers(format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let csv = file_name.to_ascii_lowercase().ends_with(".csv") || first.to_ascii_lowercase().starts_with("id,");
    let answers = if csv { parse_csv(text)? } else { parse_toml(text)? };
    let mut seen: Vec<&str> = Vec::new();
    for (id, _) in &answers {
        if !ids.contains(id) {
            let shown = match ids.len() {
                0 => "none".to_string(),
                n => format!("{} to {}", ids[0], ids[n - 1]),
            };
            return Err(BadAnswers(format!(
                "unknown question id \"{id}\" (this quiz has {shown})"
            )));
        }
        if seen.contains(&id.as_str()) {
            return Err(BadAnswers(format!("question \"{id}\" is answered twice")));
        }
        seen.push(id);
    }
    Ok(answers)
}

fn parse_toml(text: &str) -> Result<Vec<(String, f64)>, BadAnswers> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map_or(String::new(), |l| format!("line {l}: "));
        BadAnswers(format!(
            "{at}not valid TOML ({}); write [answers] then q1 = 0.845",
            e.message().trim()
        ))
    })?;
    if let Some(other) = table.keys().find(|k| *k != "answers") {
        return Err(BadAnswers(format!(
            "unexpected key \"{other}\"; answers go in an [answers] table (q1 = 0.845)"
        )));
    }
    let Some(answers) = table.get("answers") else {
        return Err(BadAnswers(
            "has no [answers] table; write [answers] then q1 = 0.845".into(),
        ));
    };
    let Some(answers) = answers.as_table() else {
        return Err(BadAnswers(
            "answers: is not a table; write [answers] then q1 = 0.845".into(),
        ));
    };
    answers
        .iter()
        .map(|(id, v)| {
            let x = match v {
                toml::Value::Float(x) => *x,
                toml::Value::Integer(i) => *i as f64,
                other => {
                    return Err(BadAnswers(format!("answers.{id}: not a number, got {other}")));
                }
            };
            finite(id, x).map(|x| (id.clone(), x))
        })
        .collect()
}

fn finite(id: &str, x: f64) -> Result<f64, BadAnswers> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(BadAnswers(format!("{id}: not a finite number, got {x}")))
    }
}

fn parse_csv(text: &str) -> Result<Vec<(String, f64)>, BadAnswers> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, header)) if header.trim().replace(' ', "").eq_ignore_ascii_case("id,value") => {}
        Some((i, header)) => {
            return Err(BadAnswers(format!(
                "line {}: the header must be id,value, got \"{}\"",
                i + 1,
                header.trim()
            )));
        }
        None => return Err(BadAnswers("is empty; write a header id,value then q1,0.845".into())),
    }
    lines
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"')).collect();
            let [id, value] = fields.as_slice() else {
                return Err(BadAnswers(format!(
                    "line {}: expected id,value, got \"{}\"",
                    i + 1,
                    line.trim()
                )));
            };
            if id.is_empty() || value.is_empty() {
                return Err(BadAnswers(format!(
                    "line {}: expected id,value, got \"{}\"",
                    i + 1,
                    line.trim()
                )));
            }
            let x: f64 = value
                .parse()
                .map_err(|_| BadAnswers(format!("line {}: {id}: not a number, got \"{value}\"", i + 1)))?;
            finite(id, x).map(|x| (id.to_string(), x))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        (1..=3).map(|i| format!("q{i}")).collect()
    }

    #[test]
    fn reads_toml_and_csv() {
        let t = parse("a.toml", b"[answers]\nq1 = 0.845\nq3 = 12\n", &ids()).expect("toml");
        assert_eq!(t, vec![("q1".into(), 0.845), ("q3".into(), 12.0)]);
        let c = parse("a.csv", b"id,value\nq2,31.5\r\nq1,-4\n", &ids()).expect("csv");
        assert_eq!(c, vec![("q2".into(), 31.5), ("q1".into(), -4.0)]);
        // A CSV is recognised by its header whatever the file is called.
        assert!(parse("answers.txt", b"id,value\nq1,1\n", &ids()).is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_answer_in_one_line() {
        let cases: [(&str, &[u8], &str); 10] = [
            ("a.toml", b"[answers]\nq9 = 1\n", "unknown question id \"q9\""),
            ("a.toml", b"[answers]\nq1 = \"abc\"\n", "answers.q1: not a number"),
            ("a.toml", b"[answers]\nq1 = 1\nq1 = 2\n", "line 3"),
            ("a.toml", b"[answers]\nq1 = 0.8\nq2 =", "not valid TOML"),
            ("a.toml", b"q1 = 0.8\n", "unexpected key \"q1\""),
            ("a.csv", b"id,value\nq1,0.8\nq1,0.9\n", "answered twice"),
            ("a.csv", b"id,value\nq1,abc\n", "line 2: q1: not a number, got \"abc\""),
            ("a.csv", b"id,value\nq1,0.8\nq2", "line 3: expected id,value"),
            ("a.csv", b"question,answer\nq1,0.8\n", "the header must be id,value"),
            ("a.csv", b"id,value\nq1,\xff\xfe\n", "is not UTF-8"),
        ];
        for (name, bytes, want) in cases {
            let e = parse(name, bytes, &ids()).expect_err(want);
            assert!(e.0.contains(want), "{name} {:?}: {e}", String::from_utf8_lossy(bytes));
            assert!(!e.0.contains('\n'), "one line: {e}");
        }
    }
}
