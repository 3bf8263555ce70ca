//! A small, strict XML well-formedness check, enough to prove the SVG files
//! parse: an optional declaration, exactly one root element, properly
//! nested and matching tags, quoted and unique attributes, only the five
//! predefined entities and character references, no stray `<` or `&`, and
//! only characters XML 1.0 allows. DOCTYPEs and CDATA are rejected (we
//! never write them).

/// `Ok(root element name)` or the first problem with its byte offset.
pub(crate) fn check(doc: &str) -> Result<String, String> {
    if let Some((at, c)) = doc.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(format!(
            "character U+{:04X} at {at} is not allowed",
            c as u32
        ));
    }
    let mut p = Parser { doc, at: 0 };
    if p.rest().starts_with("<?xml") {
        p.skip_past("?>")?;
    }
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    loop {
        let text_end = p.rest().find('<').map_or(doc.len(), |i| p.at + i);
        let text = &doc[p.at..text_end];
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root element at {}", p.at));
        }
        check_text(text, p.at)?;
        p.at = text_end;
        if p.at == doc.len() {
            break;
        }
        if p.rest().starts_with("<!--") {
            let start = p.at;
            p.skip_past("-->")?;
            if doc[start + 4..p.at - 3].contains("--") {
                return Err(format!("`--` inside the comment at {start}"));
            }
        } else if p.rest().starts_with("<?") {
            p.skip_past("?>")?;
        } else if p.rest().starts_with("<!") {
            return Err(format!("DOCTYPE or CDATA at {}", p.at));
        } else if p.rest().starts_with("</") {
            p.at += 2;
            let name = p.name()?;
            p.spaces();
            p.expect(">")?;
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("`</{name}>` closes {other:?} at {}", p.at)),
            }
        } else {
            p.at += 1;
            let name = p.name()?;
            if stack.is_empty() {
                if let Some(first) = &root {
                    return Err(format!("a second root `{name}` after `{first}`"));
                }
                root = Some(name.clone());
            }
            if !p.attributes()? {
                stack.push(name);
            }
        }
    }
    match (stack.last(), root) {
        (Some(open), _) => Err(format!("`<{open}>` is never closed")),
        (None, None) => Err("no root element".into()),
        (None, Some(root)) => Ok(root),
    }
}

struct Parser<'a> {
    doc: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.doc[self.at..]
    }

    fn skip_past(&mut self, end: &str) -> Result<(), String> {
        let found = self
            .rest()
            .find(end)
            .ok_or_else(|| format!("no `{end}` after {}", self.at))?;
        self.at += found + end.len();
        Ok(())
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.rest().starts_with(token) {
            self.at += token.len();
            Ok(())
        } else {
            Err(format!("expected `{token}` at {}", self.at))
        }
    }

    fn spaces(&mut self) -> bool {
        let trimmed = self
            .rest()
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .len();
        let skipped = self.rest().len() - trimmed;
        self.at += skipped;
        skipped > 0
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self
            .rest()
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphabetic()
                    || c == '_'
                    || c == ':'
                    || (i > 0 && (c.is_ascii_digit() || c == '-' || c == '.')))
            })
            .map_or(self.rest().len(), |(i, _)| i);
        if len == 0 {
            return Err(format!("expected a name at {}", self.at));
        }
        let name = self.rest()[..len].to_owned();
        self.at += len;
        Ok(name)
    }

    /// The attributes up to `>` (returns false) or `/>` (returns true).
    fn attributes(&mut self) -> Result<bool, String> {
        let mut seen: Vec<String> = Vec::new();
        loop {
            let spaced = self.spaces();
            if self.rest().starts_with("/>") {
                self.at += 2;
                return Ok(true);
            }
            if self.rest().starts_with('>') {
                self.at += 1;
                return Ok(false);
            }
            if !spaced {
                return Err(format!(
                    "expected a space before the attribute at {}",
                    self.at
                ));
            }
            let name = self.name()?;
            if seen.contains(&name) {
                return Err(format!("duplicate attribute `{name}` at {}", self.at));
            }
            seen.push(name);
            self.spaces();
            self.expect("=")?;
            self.spaces();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err(format!("unquoted attribute value at {}", self.at)),
            };
            self.at += 1;
            let len = self
                .rest()
                .find(quote)
                .ok_or_else(|| format!("unterminated attribute value at {}", self.at))?;
            let value = &self.rest()[..len];
            if value.contains('<') {
                return Err(format!("`<` in an attribute value at {}", self.at));
            }
            check_text(value, self.at)?;
            self.at += len + 1;
        }
    }
}

/// Every `&` starts a predefined entity or a character reference.
fn check_text(text: &str, offset: usize) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let rest = &text[i + 1..];
        let end = rest
            .find(';')
            .ok_or(format!("bare `&` at {}", offset + i))?;
        let name = &rest[..end];
        let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || name
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || name
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("unknown entity `&{name};` at {}", offset + i));
        }
    }
    Ok(())
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn the_checker_accepts_xml_and_rejects_the_rest() {
    let good = "<?xml version=\"1.0\"?>\n<!-- c -->\n<a x=\"1\" y='&lt;'><b/>t &amp; &#233;<c z=\"&#x41;\"></c></a>\n";
    assert_eq!(check(good), Ok("a".into()));
    for bad in [
        "",
        "<a>",
        "<a></b>",
        "<a><b></a></b>",
        "<a/><b/>",
        "text<a/>",
        "<a x=1/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a x=\"1\"y=\"2\"/>",
        "<a x=\"<\"/>",
        "<a>&nbsp;</a>",
        "<a>& b</a>",
        "<a>\u{1}</a>",
        "<a><!-- x -- y --></a>",
        "<!DOCTYPE a><a/>",
        "<a><![CDATA[x]]></a>",
        "<1a/>",
    ] {
        assert!(check(bad).is_err(), "accepted {bad:?}");
    }
}
