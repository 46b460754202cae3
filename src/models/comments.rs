//! Free-text comments for survey answers, built from phrase banks. Each comment is about one true
//! theme, the driver that mattered most in the customer's experience (recorded for the answer key;
//! never exported).
//!
//! A comment is whole sentences, each starting with a capital: an optional opening, the core sentence
//! about the theme, an optional sentence naming the topic with one of the category's theme words
//! (noun phrases such as "a refund"), and an optional closing. What a sentence claims must be true of
//! the ticket it is written on: a core that praises speed or complains of days is chosen only among
//! the cores whose condition holds for the ticket's actual first-reply and resolution times, so
//! "sorted out in minutes" never sits on a ticket solved after a day. NPS comments follow the score
//! band (promoter, passive, detractor) and the business: a shop's customers talk about deliveries, a
//! bank's about the app and fees, a software customer's about features.

use crate::rng::{Draw, Seeds};
use crate::scenario::BusinessModel;

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
    ChannelSwitch,
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
            ChannelSwitch,
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
            CsatTheme::ChannelSwitch => "channel_switch",
        }
    }

    fn positive(self) -> bool {
        matches!(self, CsatTheme::QuickFix | CsatTheme::HelpfulAgent)
    }
}

/// What the rated ticket went through, as the export shows it.
#[derive(Debug, Clone, Copy)]
pub struct TicketFacts {
    pub live: bool,
    /// A phone call (on hold, on the line) rather than a chat.
    pub phone: bool,
    pub first_reply_secs: f64,
    pub resolution_secs: f64,
    /// Created and solved on the same calendar day.
    pub same_day: bool,
    pub agent_replies: u32,
    pub retried: bool,
}

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;

/// A core sentence and the condition under which it is true of a ticket.
type Core = (&'static str, fn(&TicketFacts) -> bool);

fn any(_: &TicketFacts) -> bool {
    true
}

fn cores(theme: CsatTheme) -> &'static [Core] {
    match theme {
        CsatTheme::SlowResolution => &[
            ("It took far too long to get this sorted.", any),
            ("The whole thing dragged on much longer than it should have.", any),
            ("Waiting this long for a resolution is not acceptable.", any),
            ("It took hours to get a simple problem solved.", |f| {
                f.resolution_secs >= 2.0 * HOUR && f.resolution_secs < DAY
            }),
            ("Days went by before anyone actually fixed it.", |f| {
                f.resolution_secs >= 2.0 * DAY
            }),
            ("It dragged on for more than a week.", |f| {
                f.resolution_secs >= 7.0 * DAY
            }),
            ("A whole day to sort out something this simple.", |f| {
                f.resolution_secs >= DAY && f.resolution_secs < 2.0 * DAY
            }),
        ],
        CsatTheme::RepeatContact => &[
            ("I had to explain the same thing several times.", |f| {
                f.agent_replies >= 2
            }),
            ("Lots of back and forth before we got anywhere.", |f| {
                f.agent_replies >= 2
            }),
            ("Every reply asked me for details I had already sent.", |f| {
                f.agent_replies >= 2
            }),
            ("It took too many messages to get a straight answer.", |f| {
                f.agent_replies >= 2
            }),
            ("I had to get in touch twice before anyone helped.", |f| f.retried),
            ("The first time I gave up waiting and had to try again.", |f| f.retried),
        ],
        CsatTheme::Reopened => &[
            ("The problem came back after you marked it solved.", any),
            ("It was closed but nothing had actually been fixed.", any),
            ("I had to reopen the ticket because the fix did not work.", any),
            ("Solved on paper, still broken in practice.", any),
            ("The first answer did not fix it, so I had to come back.", any),
        ],
        CsatTheme::Handoff => &[
            ("I was passed from one team to another.", any),
            ("The handover to the specialists cost a lot of time.", any),
            ("Nobody seemed to own my case after it was escalated.", any),
            ("Being transferred meant explaining everything again.", any),
            ("The first person could not help and had to pass it on.", any),
        ],
        CsatTheme::SlowFirstReply => &[
            ("Nobody answered for ages.", any),
            ("The first reply took much too long.", any),
            ("I waited a long time just to hear back.", |f| !f.live),
            ("It took hours before anyone even acknowledged my message.", |f| {
                !f.live && f.first_reply_secs >= 2.0 * HOUR
            }),
            ("It took more than a day to hear back at all.", |f| {
                f.first_reply_secs >= DAY
            }),
            ("I was on hold far too long.", |f| {
                f.phone && f.first_reply_secs >= 2.0 * MINUTE
            }),
            ("I sat in the chat queue far too long before anyone joined.", |f| {
                f.live && !f.phone && f.first_reply_secs >= 2.0 * MINUTE
            }),
        ],
        CsatTheme::ProductProblem => &[
            ("The product itself keeps causing this.", any),
            ("Support was fine but this should not break in the first place.", any),
            ("This is the second time the same thing has hit me.", any),
            ("Please fix the underlying problem.", any),
            ("The agent was polite, but the real problem is still there.", any),
        ],
        CsatTheme::QuickFix => &[
            ("Sorted out in minutes.", |f| f.resolution_secs < 30.0 * MINUTE),
            ("Fixed while I was still on the line.", |f| {
                f.phone && f.resolution_secs < 30.0 * MINUTE
            }),
            ("Fixed while we were still chatting.", |f| {
                f.live && !f.phone && f.resolution_secs < 30.0 * MINUTE
            }),
            ("Fast and to the point.", |f| f.resolution_secs < 4.0 * HOUR),
            ("Solved within a couple of hours.", |f| {
                f.resolution_secs >= 30.0 * MINUTE && f.resolution_secs < 3.0 * HOUR
            }),
            ("Solved the same day.", |f| f.same_day && f.resolution_secs >= HOUR),
            ("Fixed on the first reply.", |f| f.agent_replies <= 1),
            ("Quick, clear and done.", |f| f.resolution_secs < 2.0 * HOUR),
            ("A quick reply that solved it.", |f| {
                f.first_reply_secs < HOUR && f.agent_replies <= 1
            }),
        ],
        CsatTheme::ChannelSwitch => &[
            (
                "I could not reach you the way I wanted and had to use another channel.",
                any,
            ),
            ("It was hard to find the right way to contact you.", any),
            ("The option I normally use was nowhere to be found.", any),
            ("I had to hunt around the website just to get in touch.", any),
        ],
        CsatTheme::HelpfulAgent => &[
            ("The agent was patient and really knew the product.", any),
            ("Very helpful and friendly.", any),
            ("Clear explanation, I understand it now.", any),
            ("The agent went the extra mile to help.", any),
            ("Friendly, and they explained every step.", any),
            ("The person who helped me knew exactly what to do.", any),
        ],
    }
}

/// Openings: (text, joins the core as one sentence). A joining opening ends in a comma and the core
/// continues it in lower case.
const OPEN_NEGATIVE: &[(&str, bool)] = &[
    ("", false),
    ("", false),
    ("Honestly,", true),
    ("Not great.", false),
    ("Frustrating.", false),
    ("To be fair the agent tried, but", true),
    ("Disappointing.", false),
];
const OPEN_POSITIVE: &[(&str, bool)] = &[
    ("", false),
    ("", false),
    ("Great service.", false),
    ("Thanks!", false),
    ("Really happy.", false),
    ("Impressed.", false),
    ("Excellent support.", false),
];
const TOPIC_NEGATIVE: &[&str] = &[
    "It was about {}.",
    "The problem was with {}.",
    "My ticket was about {}.",
];
const TOPIC_POSITIVE: &[&str] = &["My question was about {}.", "I asked about {}.", "It was about {}."];
const CLOSE_POSITIVE: &[&str] = &[
    "",
    "",
    " Thank you.",
    " Keep it up.",
    " Much appreciated.",
    " Will recommend.",
];

fn close_negative(model: BusinessModel) -> &'static [&'static str] {
    match model {
        BusinessModel::Subscription => &[
            "",
            "",
            " Please do better.",
            " Not what I expect for what we pay.",
            " Disappointed.",
        ],
        BusinessModel::Retail => &[
            "",
            "",
            " Please do better.",
            " Not what I expect from a shop I like.",
            " Disappointed.",
        ],
        BusinessModel::Banking => &[
            "",
            "",
            " Please do better.",
            " Not what I expect from my bank.",
            " Disappointed.",
        ],
    }
}

/// The `index`-th pick from `bank` for the draw key `key`.
fn pick<T>(bank: &[T], key: u64, index: u32) -> &T {
    &bank[((Seeds::uniform(key, Draw::CommentWords, index) * bank.len() as f64) as usize).min(bank.len() - 1)]
}

/// `text` with its first letter in lower case, unless it starts with "I " (a pronoun).
fn lower_first(text: &str) -> String {
    if text.starts_with("I ") {
        return text.to_string();
    }
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Renders a CSAT comment about `theme` for a ticket with `facts` and draw key `key`, naming one of
/// the category's `themes` noun phrases in about half the comments.
pub fn render_csat(theme: CsatTheme, facts: &TicketFacts, themes: &[String], model: BusinessModel, key: u64) -> String {
    let (open, topics, close) = if theme.positive() {
        (OPEN_POSITIVE, TOPIC_POSITIVE, CLOSE_POSITIVE)
    } else {
        (OPEN_NEGATIVE, TOPIC_NEGATIVE, close_negative(model))
    };
    let mut true_cores: Vec<&str> = cores(theme)
        .iter()
        .filter(|(_, holds)| holds(facts))
        .map(|(c, _)| *c)
        .collect();
    if true_cores.is_empty() {
        // The driver picks a theme only where one of its cores holds; should none hold, the comment
        // makes no claim about the ticket rather than a false one.
        let fallback = if theme.positive() {
            CsatTheme::HelpfulAgent
        } else {
            CsatTheme::ProductProblem
        };
        true_cores = cores(fallback).iter().map(|(c, _)| *c).collect();
    }
    let core = *pick(&true_cores, key, 1);
    let &(opening, joins) = pick(open, key, 0);
    let mut text = match (opening.is_empty(), joins) {
        (true, _) => core.to_string(),
        (false, true) => format!("{opening} {}", lower_first(core)),
        (false, false) => format!("{opening} {core}"),
    };
    if !themes.is_empty() && Seeds::uniform(key, Draw::CommentWords, 2) < 0.5 {
        let word = pick(themes, key, 3);
        text.push(' ');
        text.push_str(&pick(topics, key, 5).replace("{}", word));
    }
    text.push_str(pick::<&str>(close, key, 4));
    text
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

/// The band of an NPS answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsBand {
    /// 9-10.
    Promoter,
    /// 7-8.
    Passive,
    /// 0-6.
    Detractor,
}

impl NpsBand {
    pub fn of(score: u8) -> Self {
        match score {
            9..=10 => NpsBand::Promoter,
            7..=8 => NpsBand::Passive,
            _ => NpsBand::Detractor,
        }
    }
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

    /// The theme of an answer with `score` from a customer whose recent support experience moved
    /// their answer by `support` points: support when it moved the answer by about a point in the
    /// direction of the band, otherwise the product or, for a customer who `pays`, the price.
    pub fn for_answer(score: u8, support: f64, pays: bool, u: f64) -> Self {
        match NpsBand::of(score) {
            NpsBand::Promoter if support >= 0.3 && u < 0.6 => NpsTheme::SupportPraise,
            NpsBand::Promoter => NpsTheme::ProductValue,
            NpsBand::Detractor if support <= -0.8 => NpsTheme::SupportEffort,
            NpsBand::Passive if support <= -0.8 && u < 0.5 => NpsTheme::SupportEffort,
            _ if u < 0.55 || !pays => NpsTheme::ProductGaps,
            _ => NpsTheme::Price,
        }
    }
}

fn nps_cores(theme: NpsTheme, band: NpsBand, model: BusinessModel) -> &'static [&'static str] {
    use BusinessModel::*;
    use NpsTheme::*;
    match (theme, model) {
        (SupportPraise, _) => &[
            "Your support team is the reason I stay.",
            "Whenever I need help, someone sorts it out.",
            "Support has been excellent every time.",
            "The people in support really know what they are doing.",
            "Every time I contacted support they were friendly and helpful.",
        ],
        (SupportEffort, _) => &[
            "Getting help takes far too much effort.",
            "Every support request turns into a long back and forth.",
            "I keep having to chase support for answers.",
            "Reaching someone who can actually help is hard.",
            "My last problem took far too many contacts to solve.",
        ],
        (ProductValue, Subscription) => &[
            "The product does exactly what we need.",
            "It saves our team hours every week.",
            "Reliable and easy to use.",
            "It fits the way we work.",
            "Our finance team relies on it every day.",
            "Setting it up was simple and it just works.",
        ],
        (ProductValue, Retail) => &[
            "The quality is always great.",
            "Orders arrive quickly and well packed.",
            "My favourite shop for gifts.",
            "Great selection and everything arrives as described.",
            "The coffee is always fresh.",
            "Ordering is quick and easy.",
        ],
        (ProductValue, Banking) => &[
            "The app is easy to use.",
            "Instant transfers make my life easier.",
            "The best banking app I have used.",
            "No surprise fees, and everything is clear.",
            "Setting up savings pots was simple.",
            "I can do everything from my phone.",
        ],
        (ProductGaps, Subscription) => match band {
            NpsBand::Detractor => &[
                "Too many features we need are missing.",
                "It breaks too often for something we rely on.",
                "Reporting is too limited for us.",
                "The integrations keep letting us down.",
            ],
            _ => &[
                "Some features we need are still missing.",
                "The product is fine but could do a lot more.",
                "A few things are clunky to use.",
                "Reporting could be better.",
            ],
        },
        (ProductGaps, Retail) => match band {
            NpsBand::Detractor => &[
                "Deliveries are too unreliable.",
                "Too many things I want are out of stock.",
                "The returns process is a pain.",
                "The website is slow and confusing.",
            ],
            _ => &[
                "Delivery dates could be more reliable.",
                "Some items go out of stock too often.",
                "The website is slow at times.",
                "Returns could be simpler.",
            ],
        },
        (ProductGaps, Banking) => match band {
            NpsBand::Detractor => &[
                "The app crashes too often.",
                "Transfers to other banks take far too long.",
                "Card payments get declined for no reason.",
                "Too many basic features are missing.",
            ],
            _ => &[
                "The app crashes now and then.",
                "Transfers to other banks could be faster.",
                "I would like more budgeting features.",
                "Some things are hard to find in the app.",
            ],
        },
        (Price, Subscription) => &[
            "It is getting expensive for what we use.",
            "The price went up again.",
            "Good, but not cheap.",
            "The price is hard to justify for a small team.",
        ],
        (Price, Retail) => &[
            "Shipping costs are too high.",
            "Prices went up a lot this year.",
            "Good, but not cheap.",
            "There are cheaper places to buy the same things.",
        ],
        (Price, Banking) => &[
            "The monthly fee is hard to justify.",
            "Fees for international payments are too high.",
            "Good, but not cheap.",
            "Other apps offer the same for free.",
        ],
    }
}

fn nps_openings(band: NpsBand) -> &'static [&'static str] {
    match band {
        NpsBand::Promoter => &["", "", "Love it.", "Very happy.", "Great so far."],
        NpsBand::Passive => &["", "", "Mostly happy.", "It is OK.", "Not bad."],
        NpsBand::Detractor => &["", "", "Not happy.", "Disappointed.", "Honestly, not great."],
    }
}

fn nps_closings(band: NpsBand) -> &'static [&'static str] {
    match band {
        NpsBand::Promoter => &["", "", " Keep it up.", " Thanks.", " Highly recommended."],
        NpsBand::Passive => &["", "", " Overall OK.", " We will see.", " Room to improve."],
        NpsBand::Detractor => &[
            "",
            "",
            " Thinking about switching.",
            " Please fix this.",
            " We will see.",
        ],
    }
}

/// Renders an NPS comment about `theme` for an answer of `score`, worded by the draw key `key`.
pub fn render_nps(theme: NpsTheme, score: u8, model: BusinessModel, key: u64) -> String {
    let band = NpsBand::of(score);
    let opening = *pick(nps_openings(band), key, 10);
    let core = *pick(nps_cores(theme, band, model), key, 11);
    let closing = *pick(nps_closings(band), key, 12);
    if opening.is_empty() {
        format!("{core}{closing}")
    } else {
        format!("{opening} {core}{closing}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(resolution_secs: f64) -> TicketFacts {
        TicketFacts {
            live: false,
            phone: false,
            first_reply_secs: resolution_secs.min(600.0),
            resolution_secs,
            same_day: resolution_secs < 6.0 * HOUR,
            agent_replies: 1,
            retried: false,
        }
    }

    /// Every sentence (after ". ", "! " or "? ") starts with a capital letter.
    fn sentences_capitalised(text: &str) -> bool {
        let starts = std::iter::once(0).chain(text.match_indices(['.', '!', '?']).map(|(i, _)| i + 2));
        starts
            .filter(|&i| i < text.len())
            .all(|i| text[i..].chars().next().is_some_and(|c| c.is_uppercase()))
    }

    #[test]
    fn comments_are_varied_whole_sentences_and_true_of_the_ticket() {
        let themes = vec!["an invoice".to_string(), "a refund".to_string()];
        let mut seen = std::collections::HashSet::new();
        for t in 1..=9 {
            let theme = CsatTheme::from_u8(t).expect("theme");
            for (i, res) in [600.0, 5_000.0, 30_000.0, 200_000.0, 900_000.0].into_iter().enumerate() {
                for key in 0..200u64 {
                    let mut f = facts(res);
                    f.agent_replies = 1 + (key % 3) as u32;
                    let c = render_csat(
                        theme,
                        &f,
                        &themes,
                        BusinessModel::Subscription,
                        key.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i as u64,
                    );
                    assert!(!c.contains('{') && !c.contains('(') && !c.contains("  "), "{c}");
                    assert!(sentences_capitalised(&c), "{c}");
                    if res > DAY {
                        assert!(
                            !c.contains("minutes") && !c.contains("same day") && !c.contains("hours to"),
                            "{c} on {res}"
                        );
                    }
                    if res < 12.0 * HOUR {
                        assert!(!c.contains("Days went by") && !c.contains("week"), "{c} on {res}");
                    }
                    seen.insert(c);
                }
            }
        }
        assert!(seen.len() > 1500, "only {} distinct comments", seen.len());
    }

    #[test]
    fn nps_comments_fit_their_band() {
        for score in 0..=10u8 {
            for key in 0..300u64 {
                let theme = NpsTheme::for_answer(
                    score,
                    (key % 7) as f64 / 2.0 - 1.5,
                    key % 2 == 0,
                    (key % 11) as f64 / 11.0,
                );
                if key % 2 == 1 {
                    assert_ne!(
                        theme,
                        NpsTheme::Price,
                        "a customer who pays nothing complains of the price"
                    );
                }
                let c = render_nps(
                    theme,
                    score,
                    BusinessModel::Retail,
                    key.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                assert!(sentences_capitalised(&c), "{c}");
                if score >= 9 {
                    assert!(
                        !c.contains("We will see") && !c.contains("switching") && !c.contains("Not happy"),
                        "{score}: {c}"
                    );
                    assert!(
                        matches!(theme, NpsTheme::SupportPraise | NpsTheme::ProductValue),
                        "{score}: {theme:?}"
                    );
                }
                if score <= 6 {
                    assert!(!c.contains("Keep it up") && !c.contains("Love it"), "{score}: {c}");
                    assert!(
                        !matches!(theme, NpsTheme::SupportPraise | NpsTheme::ProductValue),
                        "{score}: {theme:?}"
                    );
                }
            }
        }
    }
}
