//! Free-text comments for survey answers, built from phrase banks. Each comment is about one true
//! theme, the driver that mattered most in the customer's experience (recorded for the answer key;
//! never exported), worded with varied openings, cores and closings and, where it fits, one of the
//! category's own theme words from the scenario. Comments are assembled from fragments, so no
//! template placeholder can reach the output.

use crate::rng::{Draw, Seeds};

/// What a CSAT comment is really about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CsatTheme {
    SlowResolution = 1,
    RepeatContact,
    Reopened,
    Handoff,
    SlowFirstReply,
    ProductProblem,
    QuickFix,
    HelpfulAgent,
}

impl CsatTheme {
    pub fn from_u8(v: u8) -> Option<Self> {
        use CsatTheme::*;
        [
            SlowResolution,
            RepeatContact,
            Reopened,
            Handoff,
            SlowFirstReply,
            ProductProblem,
            QuickFix,
            HelpfulAgent,
        ]
        .into_iter()
        .find(|t| *t as u8 == v)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CsatTheme::SlowResolution => "slow_resolution",
            CsatTheme::RepeatContact => "repeat_contact",
            CsatTheme::Reopened => "reopened",
            CsatTheme::Handoff => "handoff",
            CsatTheme::SlowFirstReply => "slow_first_reply",
            CsatTheme::ProductProblem => "product_problem",
            CsatTheme::QuickFix => "quick_fix",
            CsatTheme::HelpfulAgent => "helpful_agent",
        }
    }

    fn cores(self) -> &'static [&'static str] {
        match self {
            CsatTheme::SlowResolution => &[
                "it took far too long to get this sorted",
                "days went by before anyone actually fixed it",
                "the whole thing dragged on much longer than it should have",
                "waiting this long for a resolution is not acceptable",
            ],
            CsatTheme::RepeatContact => &[
                "I had to explain the same thing several times",
                "lots of back and forth before we got anywhere",
                "every reply asked me for details I had already sent",
                "it took too many messages to get a straight answer",
            ],
            CsatTheme::Reopened => &[
                "the problem came back after you marked it solved",
                "it was closed but nothing had actually been fixed",
                "I had to reopen the ticket because the fix did not work",
                "solved on paper, still broken in practice",
            ],
            CsatTheme::Handoff => &[
                "I was passed from one team to another",
                "the handover to the specialists cost a lot of time",
                "nobody seemed to own my case after it was escalated",
                "being transferred meant starting over",
            ],
            CsatTheme::SlowFirstReply => &[
                "nobody answered for ages",
                "the first reply took much too long",
                "I waited a long time just to hear back",
                "it took hours before anyone even acknowledged my message",
            ],
            CsatTheme::ProductProblem => &[
                "the product itself keeps causing this",
                "support was fine but this should not break in the first place",
                "this is the second time the same issue has hit us",
                "please fix the underlying problem",
            ],
            CsatTheme::QuickFix => &[
                "sorted out in minutes",
                "fast and to the point",
                "quick answer that solved it straight away",
                "fixed on the first reply",
            ],
            CsatTheme::HelpfulAgent => &[
                "the agent was patient and really knew the product",
                "very helpful and friendly",
                "clear explanation, I understand it now",
                "went the extra mile to help",
            ],
        }
    }

    fn positive(self) -> bool {
        matches!(self, CsatTheme::QuickFix | CsatTheme::HelpfulAgent)
    }
}

const OPEN_NEGATIVE: &[&str] = &[
    "Honestly,",
    "Not great:",
    "Frustrating.",
    "",
    "To be fair the agent tried, but",
];
const OPEN_POSITIVE: &[&str] = &["Great service,", "Thanks!", "", "Really happy:", "Impressed,"];
const CLOSE_NEGATIVE: &[&str] = &[
    "",
    " Please do better.",
    " Not what I expect for what we pay.",
    " Disappointed.",
];
const CLOSE_POSITIVE: &[&str] = &["", " Thank you.", " Keep it up.", " Much appreciated."];

fn pick<'a>(bank: &[&'a str], key: u64, index: u32) -> &'a str {
    bank[((Seeds::uniform(key, Draw::CommentWords, index) * bank.len() as f64) as usize).min(bank.len() - 1)]
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Renders a CSAT comment about `theme` for a ticket with draw key `key`, mentioning one of the
/// category's `themes` words when the theme is about the product or the problem itself.
pub fn render_csat(theme: CsatTheme, themes: &[String], key: u64) -> String {
    let (open, close) = if theme.positive() {
        (OPEN_POSITIVE, CLOSE_POSITIVE)
    } else {
        (OPEN_NEGATIVE, CLOSE_NEGATIVE)
    };
    let opening = pick(open, key, 0);
    let core = pick(theme.cores(), key, 1);
    let mut text = if opening.is_empty() {
        capitalise(core)
    } else {
        format!("{opening} {core}")
    };
    let mentions_topic = Seeds::uniform(key, Draw::CommentWords, 2) < 0.6;
    if mentions_topic && !themes.is_empty() {
        let word = &themes
            [((Seeds::uniform(key, Draw::CommentWords, 3) * themes.len() as f64) as usize).min(themes.len() - 1)];
        let about = if theme.positive() {
            format!(" (question about {word})")
        } else {
            format!(" ({word})")
        };
        text.push_str(&about);
    }
    text.push('.');
    text.push_str(pick(close, key, 4));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_varied_and_fully_rendered() {
        let themes = vec!["invoice".to_string(), "refund".to_string()];
        let mut seen = std::collections::HashSet::new();
        for t in 1..=8 {
            let theme = CsatTheme::from_u8(t).expect("theme");
            for key in 0..200u64 {
                let c = render_csat(theme, &themes, key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                assert!(!c.contains('{') && !c.contains('}') && !c.contains("  "), "{c}");
                assert!(c.chars().next().is_some_and(|ch| ch.is_uppercase()), "{c}");
                seen.insert(c);
            }
        }
        assert!(seen.len() > 500, "only {} distinct comments", seen.len());
    }
}

/// What an NPS comment is really about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsTheme {
    SupportPraise,
    SupportEffort,
    ProductValue,
    ProductGaps,
    Price,
}

impl NpsTheme {
    pub fn as_str(self) -> &'static str {
        match self {
            NpsTheme::SupportPraise => "support_praise",
            NpsTheme::SupportEffort => "support_effort",
            NpsTheme::ProductValue => "product_value",
            NpsTheme::ProductGaps => "product_gaps",
            NpsTheme::Price => "price",
        }
    }

    /// The theme of an answer with `score` from a customer whose support experience added `support`
    /// points: support when it moved the answer by a point or more, otherwise the product or price.
    pub fn for_answer(score: u8, support: f64, u: f64) -> Self {
        match (score, support) {
            (_, s) if s <= -1.0 && score <= 8 => NpsTheme::SupportEffort,
            (9..=10, s) if s >= 0.5 => NpsTheme::SupportPraise,
            (9..=10, _) => NpsTheme::ProductValue,
            _ if u < 0.5 => NpsTheme::ProductGaps,
            _ => NpsTheme::Price,
        }
    }

    fn cores(self) -> &'static [&'static str] {
        match self {
            NpsTheme::SupportPraise => &[
                "your support team is the reason we stay",
                "whenever we need help someone sorts it out quickly",
                "support has been excellent every time",
            ],
            NpsTheme::SupportEffort => &[
                "getting help takes far too much effort",
                "every support request turns into a long back and forth",
                "we keep having to chase support for answers",
            ],
            NpsTheme::ProductValue => &[
                "the product does exactly what we need",
                "it saves us hours every week",
                "reliable and easy to use",
            ],
            NpsTheme::ProductGaps => &[
                "some features we need are still missing",
                "the product is fine but could do a lot more",
                "a few things are clunky to use",
            ],
            NpsTheme::Price => &[
                "it is getting expensive for what we use",
                "the price went up again",
                "good, but not cheap",
            ],
        }
    }
}

/// Renders an NPS comment about `theme`, worded by the draw key `key`.
pub fn render_nps(theme: NpsTheme, key: u64) -> String {
    let core = pick(theme.cores(), key, 11);
    let closing = pick(&["", " Thanks.", " Overall OK.", " We will see."], key, 12);
    format!("{}.{}", capitalise(core), closing)
}
