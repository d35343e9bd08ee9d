//! End-to-end checks of HTML main-content extraction, one hand-written page per page type:
//! what reaches `text`, what is dropped, and the metadata. The pages are made up for these
//! tests; they mimic common templates (sidebars, menus, share bars, cards, threads).

use gristmill::{Pipeline, PipelineConfig, Record, Source};

fn run(html: &str) -> Record {
    let pipe = Pipeline::from_config(PipelineConfig::default())
        .expect("default config compiles")
        .with_added("2025-01-01T00:00:00Z".to_string());
    let src = Source::from_bytes("page.html", html.as_bytes().to_vec());
    pipe.process(&src).expect("page processes")
}

/// A paragraph of `n` distinct sentences about `topic`.
fn prose(topic: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "Sentence number {i} about {topic} explains one more detail in plain words \
                 so that the paragraph reads like real prose."
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const NAV: &str = r#"<header class="site-header"><a href="/">Brandname</a>
<nav class="main-nav"><ul><li><a href="/a">Gardening</a></li><li><a href="/b">Cooking</a></li>
<li><a href="/c">Travel</a></li><li><a href="/d">Contact</a></li></ul></nav></header>"#;

const FOOTER: &str = r#"<footer class="site-footer"><p>Copyright 2025 Brandname Media Group.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul></footer>"#;

#[test]
fn article_keeps_body_and_drops_chrome() {
    let html = format!(
        r#"<html lang="en"><head><title>Growing tomatoes on a balcony | Brandname</title>
<meta property="og:title" content="Growing tomatoes on a balcony | Brandname">
<meta name="author" content="Rosa Gardener">
<meta property="article:published_time" content="2025-03-04T09:00:00Z">
</head><body>{NAV}
<div class="layout"><main><article class="post">
<h1>Growing tomatoes on a balcony</h1>
<div class="share-bar"><a href="/s1">Share on Facebook</a> <a href="/s2">Tweet</a></div>
<p>{p1}</p><h2>Choosing the pots</h2><p>{p2}</p>
<ul><li>Deep pots of at least thirty litres</li><li>A saucer under every pot</li></ul>
<p>{p3}</p>
<div class="related-posts"><h3>Related articles</h3><ul>
<li><a href="/r1">Ten herbs that love a sunny windowsill in spring</a></li>
<li><a href="/r2">How to build a raised bed from old pallets cheaply</a></li></ul></div>
</article></main>
<aside class="sidebar"><h3>Popular</h3><ul><li><a href="/p1">Best compost bins reviewed</a></li>
<li><a href="/p2">Winter pruning calendar</a></li></ul><p>Sign up for our newsletter today.</p></aside>
</div>{FOOTER}</body></html>"#,
        p1 = prose("balcony tomatoes", 4),
        p2 = prose("pot sizes", 3),
        p3 = prose("watering", 3),
    );
    let r = run(&html);
    assert!(r.text.contains("Sentence number 0 about balcony tomatoes"));
    assert!(r.text.contains("Sentence number 2 about watering"));
    assert!(r.text.contains("Choosing the pots"), "subheadings stay");
    assert!(r
        .text
        .contains("Deep pots of at least thirty litres\nA saucer under every pot"));
    for gone in [
        "Gardening",
        "Share on Facebook",
        "Ten herbs",
        "Best compost bins",
        "newsletter",
        "Privacy policy",
        "Copyright",
    ] {
        assert!(
            !r.text.contains(gone),
            "{gone:?} should be dropped:\n{}",
            r.text
        );
    }
    assert!(
        !r.text.contains("Growing tomatoes on a balcony"),
        "the title goes to metadata"
    );
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Growing tomatoes on a balcony")
    );
    assert_eq!(r.metadata.author.as_deref(), Some("Rosa Gardener"));
    assert_eq!(r.created.as_deref(), Some("2025-03-04T09:00:00Z"));
}

#[test]
fn forum_thread_keeps_every_post() {
    let post = |who: &str, topic: &str| {
        format!(
            r#"<div class="topic-post"><div class="post-author"><a href="/u/{who}">{who}</a></div>
<div class="post-body"><p>{}</p></div></div>"#,
            prose(topic, 3)
        )
    };
    let html = format!(
        r#"<html><head><title>Which sourdough starter ratio? - Baking Forum</title></head><body>{NAV}
<div id="main-outlet"><h1>Which sourdough starter ratio?</h1><div class="posts">{}{}{}</div>
<div class="suggested-topics"><h3>Suggested topics</h3><table>
<tr><td><a href="/t/1">Rye flour in a white loaf</a></td><td>12</td></tr>
<tr><td><a href="/t/2">Oven spring problems</a></td><td>4</td></tr></table></div></div>
{FOOTER}</body></html>"#,
        post("breadfan", "starter ratios"),
        post("crumbqueen", "feeding schedules"),
        post("loafer", "hydration levels"),
    );
    let r = run(&html);
    for kept in [
        "about starter ratios",
        "about feeding schedules",
        "about hydration levels",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    assert!(r.metadata.comments.is_empty(), "forum posts are content");
    assert!(!r.text.contains("Oven spring problems"));
    assert!(!r.text.contains("Privacy policy"));
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Which sourdough starter ratio?")
    );
}

#[test]
fn product_page_keeps_description_and_specs() {
    let html = format!(
        r#"<html><head><title>Trail Runner 3 shoe - Shoeshop</title>
<meta property="og:title" content="Trail Runner 3 shoe"></head><body>{NAV}
<nav class="breadcrumb"><a href="/">Home</a> / <a href="/shoes">Shoes</a></nav>
<div class="product-page"><h1>Trail Runner 3 shoe</h1>
<div class="product-description"><p>{d1}</p><p>{d2}</p>
<table><tr><th>Weight</th><td>280 g</td></tr><tr><th>Drop</th><td>6 mm</td></tr></table></div>
<div class="recommended"><h3>Customers also bought</h3><ul>
<li><a href="/x1">Merino running socks in grey</a></li><li><a href="/x2">Waterproof gaiters for mud</a></li></ul></div>
</div>{FOOTER}</body></html>"#,
        d1 = prose("the grippy outsole", 3),
        d2 = prose("the cushioned midsole", 3),
    );
    let r = run(&html);
    assert!(r.text.contains("about the grippy outsole"));
    assert!(r.text.contains("about the cushioned midsole"));
    assert!(r.text.contains("Weight | 280 g\nDrop | 6 mm"), "{}", r.text);
    assert!(!r.text.contains("Merino running socks"));
    assert!(!r.text.contains("Cooking"));
    assert_eq!(r.metadata.title.as_deref(), Some("Trail Runner 3 shoe"));
}

/// Cards of a category or listing page: headline link, byline, teaser.
fn cards(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                r#"<article class="card"><h2><a href="/story/{i}">Story headline number {i} tells what happened today</a></h2>
<p class="byline">By Writer {i}</p><p>Teaser {i} of the story.</p></article>"#
            )
        })
        .collect()
}

#[test]
fn listing_page_keeps_the_whole_list() {
    let html = format!(
        r#"<html><head><title>Latest news - Daily Paper</title></head><body>{NAV}
<div class="content"><h1>Latest news</h1><div class="story-list">{}</div>
<div class="pagination"><a href="?p=2">2</a> <a href="?p=3">3</a> <a href="?p=2">Next</a></div></div>
<aside class="sidebar"><p>{}</p></aside>{FOOTER}</body></html>"#,
        cards(12),
        prose("our sponsor", 1),
    );
    let r = run(&html);
    for i in [0, 5, 11] {
        let h = format!("Story headline number {i} tells what happened today");
        assert!(r.text.contains(&h), "{h:?} missing:\n{}", r.text);
    }
    assert!(!r.text.contains("our sponsor"));
    assert!(!r.text.contains("Gardening"));
}

#[test]
fn collection_page_keeps_items_not_menus() {
    let items: String = (0..10)
        .map(|i| {
            format!(
                r#"<li class="product-tile"><a href="/p/{i}">Handmade ceramic mug model {i} in speckled glaze</a><span class="price">$2{i}</span></li>"#
            )
        })
        .collect();
    let html = format!(
        r#"<html><head><title>Mugs | Pottery Shop</title></head><body>{NAV}
<div class="category"><h1>Mugs</h1><p>Our mugs are thrown by hand in a small studio and glazed in small batches.</p>
<ul class="grid">{items}</ul></div>
<div class="filters"><ul class="menu"><li><a href="/c1">Bowls</a></li><li><a href="/c2">Plates</a></li></ul></div>
{FOOTER}</body></html>"#
    );
    let r = run(&html);
    assert!(r
        .text
        .contains("Handmade ceramic mug model 0 in speckled glaze"));
    assert!(r
        .text
        .contains("Handmade ceramic mug model 9 in speckled glaze"));
    assert!(!r.text.contains("Plates"));
    assert!(!r.text.contains("Terms of use"));
    assert_eq!(r.metadata.title.as_deref(), Some("Mugs"));
}

#[test]
fn product_grid_with_short_names_is_the_content() {
    // Names too short to read as headline links, prices in blocks of their own: no block
    // is prose, and the only prose on the page is a sign-up note in the footer.
    let items: String = (0..9)
        .map(|i| {
            format!(
                r#"<li class="grid-item"><div class="tile"><h3 class="tile-title"><a href="/p/{i}">Lamp No. {i}</a></h3>
<div class="tile-price">${}.95</div><div class="tile-badge">Ships in {} days</div></div></li>"#,
                20 + i,
                i + 2
            )
        })
        .collect();
    let html = format!(
        r#"<html><head><title>Desk lamps | Light Shop</title></head><body>{NAV}
<main><div class="collection"><h1>Desk lamps</h1><p>9 results</p>
<ul class="product-grid">{items}</ul></div></main>
<footer class="site-footer"><div class="signup"><p>Join our mailing list and we will send you a
note now and then about new lamps, repairs and the workshop, with no more than one message in
a month.</p></div></footer></body></html>"#
    );
    let r = run(&html);
    for needle in [
        "Lamp No. 0",
        "$20.95",
        "Lamp No. 8",
        "$28.95",
        "Ships in 10 days",
    ] {
        assert!(r.text.contains(needle), "{needle:?} missing:\n{}", r.text);
    }
    assert!(!r.text.contains("mailing list"), "{}", r.text);
    assert!(!r.text.contains("Gardening"));
}

#[test]
fn sort_filter_and_count_lines_of_a_grid_are_not_text() {
    let items: String = (0..9)
        .map(|i| {
            format!(
                r#"<li class="grid-item"><div class="tile"><h3 class="tile-title"><a href="/p/{i}">Kettle No. {i}</a></h3>
<div class="tile-price">${}.50</div><div class="tile-badge">Holds {} litres</div></div></li>"#,
                30 + i,
                i + 1
            )
        })
        .collect();
    let html = format!(
        r#"<html><head><title>Kettles | Kitchen Shop</title></head><body>{NAV}
<main><div class="collection"><h1>Kettles</h1>
<ul class="product-grid"><li class="bar"><p>Showing 1–9 of 9 results</p>
<p>Sort by: Price, low to high</p><p>Filters (2)</p><p>View as Grid List</p></li>
{items}</ul></div></main>{FOOTER}</body></html>"#
    );
    let r = run(&html);
    for needle in ["Kettle No. 0", "$30.50", "Kettle No. 8", "Holds 9 litres"] {
        assert!(r.text.contains(needle), "{needle:?} missing:\n{}", r.text);
    }
    // The toolbar sits inside the grid's list, so the container holds it.
    for chrome in ["Showing 1", "Sort by", "Filters", "View as"] {
        assert!(!r.text.contains(chrome), "{chrome:?} kept:\n{}", r.text);
    }
}

#[test]
fn documentation_keeps_code_and_tables() {
    let html = format!(
        r#"<html><head><title>Configuring the cache — Widget docs</title></head><body>{NAV}
<div class="docs-layout"><nav class="toc"><ul><li><a href="/i">Install</a></li><li><a href="/c">Configure</a></li>
<li><a href="/d">Deploy</a></li></ul></nav>
<div class="documentation" role="main"><h1>Configuring the cache</h1><p>{p1}</p>
<pre><code>cache:
  size: 512
  ttl: 60</code></pre>
<h2>Options</h2><table><tr><th>Option</th><th>Meaning</th></tr>
<tr><td>size</td><td>Megabytes kept in memory</td></tr><tr><td>ttl</td><td>Seconds before expiry</td></tr></table>
<p>{p2}</p></div></div>{FOOTER}</body></html>"#,
        p1 = prose("cache sizing", 3),
        p2 = prose("expiry", 2),
    );
    let r = run(&html);
    assert!(
        r.text.contains("cache:\n  size: 512\n  ttl: 60"),
        "{}",
        r.text
    );
    assert!(r
        .text
        .contains("Option | Meaning\nsize | Megabytes kept in memory"));
    assert!(r.text.contains("Options"));
    assert!(r.text.contains("about expiry"));
    assert!(!r.text.contains("Deploy"));
    assert_eq!(r.metadata.title.as_deref(), Some("Configuring the cache"));
}

#[test]
fn product_grid_under_a_body_class_naming_the_sidebar_is_the_content() {
    // The body's layout classes name a sidebar and a footer; the grid's tiles are a name
    // and a price each, and the only prose is a promise banner above the grid.
    let items: String = (0..10)
        .map(|i| {
            format!(
                r#"<li class="tile"><a class="tile-link" href="/p/{i}">Wool blanket {i}</a>
<span class="tile-price">${}.00</span></li>"#,
                60 + i
            )
        })
        .collect();
    let html = format!(
        r#"<html><head><title>Blankets | Weaving Mill</title></head>
<body class="archive no-sidebar footer-wide">{NAV}
<div class="promise"><p>Every blanket is woven from the wool of our own sheep, washed in the
river and dyed with plants from the hills, so no two of them are ever quite the same.</p></div>
<main><h1>Blankets</h1><ul class="tiles">{items}</ul></main>{FOOTER}</body></html>"#
    );
    let r = run(&html);
    for needle in ["Wool blanket 0", "$60.00", "Wool blanket 9", "$69.00"] {
        assert!(r.text.contains(needle), "{needle:?} missing:\n{}", r.text);
    }
    assert!(!r.text.contains("Gardening"));
    assert!(!r.text.contains("Privacy policy"));
}

#[test]
fn service_page_keeps_all_sections() {
    let section =
        |h: &str, t: &str| format!("<section><h2>{h}</h2><p>{}</p></section>", prose(t, 2));
    let html = format!(
        r#"<html><head><title>Roof repair in Springfield | Acme Roofing</title></head><body>{NAV}
<main><div class="hero"><h1>Roof repair in Springfield</h1><p>Fast, insured roof repairs with a ten year guarantee.</p></div>
{}{}{}</main>
<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>{FOOTER}</body></html>"#,
        section("Leak detection", "finding leaks"),
        section("Gutter cleaning", "clearing gutters"),
        section("Free estimates", "quotes"),
    );
    let r = run(&html);
    for kept in [
        "Leak detection",
        "about finding leaks",
        "about clearing gutters",
        "Free estimates",
        "about quotes",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    assert!(!r.text.contains("cookies"));
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Roof repair in Springfield")
    );
}

#[test]
fn script_rendered_page_falls_back_to_noscript() {
    let inner = format!(
        "<div class='post'><p>{}</p><p>{}</p></div>",
        prose("the first reply", 12),
        prose("the second reply", 12)
    );
    let html = format!(
        r#"<html><head><title>Thread</title></head><body><div id="app"></div>
<noscript>{inner}</noscript></body></html>"#
    );
    let r = run(&html);
    assert!(r.text.contains("about the first reply"), "{}", r.text);
    assert!(r.text.contains("about the second reply"));
}

#[test]
fn author_bio_beside_a_plain_article_div_is_dropped() {
    // Neither the wrapper nor the article div is named as content: the wrapper used to win
    // because the bio adds a little prose. The article div holds nearly all of it.
    let html = format!(
        r#"<html><head><title>Winter care for fig trees</title></head><body>{NAV}
<div class="wrap"><h1>Winter care for fig trees</h1>
<div class="txt"><p>{p1}</p><p>{p2}</p><p>{p3}</p></div>
<div class="about-writer"><p>Mina Okafor writes about small city gardens and lives in Leeds with two cats.</p></div>
</div>{FOOTER}</body></html>"#,
        p1 = prose("wrapping the trunk", 4),
        p2 = prose("moving the pot indoors", 4),
        p3 = prose("spring pruning", 4),
    );
    let r = run(&html);
    assert!(r.text.contains("about wrapping the trunk"), "{}", r.text);
    assert!(r.text.contains("about spring pruning"), "{}", r.text);
    assert!(!r.text.contains("Mina Okafor"), "bio kept:\n{}", r.text);
}

#[test]
fn long_comment_thread_under_an_article_is_not_text() {
    let comment = |who: &str, topic: &str| {
        format!(
            r#"<li class="comment"><div class="comment-author">{who}</div>
<div class="comment-body"><p>{}</p></div></li>"#,
            prose(topic, 3)
        )
    };
    let html = format!(
        r#"<html><head><title>The new tram timetable</title></head><body>{NAV}
<div class="wrap"><div class="txt"><h1>The new tram timetable</h1><p>{p1}</p><p>{p2}</p><p>{p3}</p></div>
<div id="comments"><h3>4 Comments</h3><ol>{c1}{c2}{c3}{c4}</ol></div></div>{FOOTER}</body></html>"#,
        p1 = prose("the morning trams", 4),
        p2 = prose("the night service", 4),
        p3 = prose("ticket prices", 3),
        c1 = comment("Ana", "late trams on line four"),
        c2 = comment("Bo", "crowded platforms"),
        c3 = comment("Cy", "the old bus routes"),
        c4 = comment("Di", "bicycle spaces"),
    );
    let r = run(&html);
    assert!(r.text.contains("about the morning trams"), "{}", r.text);
    assert!(r.text.contains("about ticket prices"), "{}", r.text);
    for gone in [
        "late trams on line four",
        "crowded platforms",
        "bicycle spaces",
    ] {
        assert!(!r.text.contains(gone), "{gone:?} kept:\n{}", r.text);
    }
}

#[test]
fn forum_replies_marked_as_comments_stay_content() {
    // The opening post is long and sits outside comment markup; the replies carry a comment
    // marker but share the post's markup, so the thread is the content.
    let reply = |n: usize, topic: &str| {
        format!(
            r#"<div class="topic-body" id="post_{n}" itemprop="comment"><div class="post-author">user{n}</div>
<div class="post-text"><p>{}</p></div></div>"#,
            prose(topic, 3)
        )
    };
    let html = format!(
        r#"<html><head><title>Cracks in a concrete garage floor - DIY Forum</title></head><body>{NAV}
<div id="main-outlet"><h1>Cracks in a concrete garage floor</h1>
<div class="topic-body" id="post_1"><div class="post-author">user1</div>
<div class="post-text"><p>{p1}</p><p>{p2}</p></div></div>
{r2}{r3}{r4}</div>{FOOTER}</body></html>"#,
        p1 = prose("hairline cracks", 6),
        p2 = prose("the old slab", 5),
        r2 = reply(2, "epoxy filler"),
        r3 = reply(3, "moisture barriers"),
        r4 = reply(4, "grinding the surface"),
    );
    let r = run(&html);
    for kept in [
        "about hairline cracks",
        "about epoxy filler",
        "about grinding the surface",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
}

/// A consent dialog long enough to outweigh a short thread if it were read as prose.
const CONSENT: &str = r#"<div id="privacy-consent-sdk"><div class="pc-dialog"><h2>Privacy Preference Center</h2>
<p>When you visit any website, it may store or retrieve information on your browser, mostly in the form of cookies, and this information might be about you, your preferences or your device.</p>
<p>Because we respect your right to privacy, you can choose not to allow some types of cookies, and you can click on the different category headings to find out more and change the default settings.</p>
<p>Blocking some types of cookies may impact your experience of the site and the services we are able to offer, so please read the descriptions of every category before you make a choice.</p>
<h3>Strictly Necessary Cookies</h3><p>These cookies are necessary for the website to function and cannot be switched off in our systems, as they are usually only set in response to actions made by you.</p></div></div>"#;

#[test]
fn thread_of_comment_marked_posts_is_the_content() {
    // Every post, the opening one included, sits in comment markup (as some forum engines
    // render them); short posts, per-post chrome, a quote of the opening post in a reply and
    // a cookie dialog with more prose than the thread.
    let post = |n: usize, who: &str, body: &str| {
        format!(
            r#"<article class="forum-comment post-entry" id="comment-{n}"><aside class="post-author"><h3>{who}</h3>
<ul><li>Members</li><li>{n}2 posts</li></ul></aside><div class="post-wrap"><p class="post-date">Posted March {n}, 2024</p>
<div class="post-content">{body}</div><div class="post-signature"><p>My rig: a ten year old tower with far too many fans in it, and proud of it.</p></div>
<ul class="post-controls"><li>{n} likes</li><li><a href="/quote">Quote</a></li></ul></div></article>"#
        )
    };
    let opening = "Does anyone know what the two small connectors on the back of this case are for? The manual says nothing about them.";
    let html = format!(
        r#"<html><head><title>Two connectors on the new case - Hardware Forum</title></head><body>{NAV}
<div class="page"><h1>Two connectors on the new case</h1><div class="topic-comments comment-feed">{p1}{p2}{p3}</div>
</div>{FOOTER}{CONSENT}</body></html>"#,
        p1 = post(1, "Rabbit", &format!("<p>{opening}</p>")),
        p2 = post(
            2,
            "Biker",
            &format!(
                "<blockquote class=\"post-quote\"><p>{opening}</p></blockquote>\
                 <p>The one at the rear is for an external hub, as far as I know from the vendor's own support people.</p>\
                 <p>Last edited by Biker on March 2, 2024</p>"
            )
        ),
        p3 = post(
            3,
            "Rabbit",
            "<p>Thanks, that makes sense, and the one at the bottom then must be for the front panel fans.</p>"
        ),
    );
    let r = run(&html);
    for kept in [
        "two small connectors on the back",
        "for an external hub",
        "for the front panel fans",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    assert!(r.metadata.comments.is_empty(), "forum posts are content");
    assert_eq!(
        r.text.matches("two small connectors").count(),
        1,
        "the quote of the opening post is a repeat:\n{}",
        r.text
    );
    for gone in [
        "far too many fans",
        "Last edited by",
        "2 likes",
        "Privacy Preference Center",
        "Strictly Necessary Cookies",
        "store or retrieve information",
    ] {
        assert!(!r.text.contains(gone), "{gone:?} kept:\n{}", r.text);
    }
}

#[test]
fn short_post_under_a_longer_thoughts_thread_keeps_its_comments_apart() {
    // Two short paragraphs of a recipe, then a "5 thoughts on" heading over more words of
    // comments than the post has, in markup whose classes name no comment thread.
    let entry = |who: &str, body: &str| {
        format!(
            r#"<li class="entry"><div class="entry-author">{who} says:</div>
<div class="entry-meta">March 3, 2024 at 9:12 am</div><p>{body}</p><p>Reply</p></li>"#
        )
    };
    let html = format!(
        r#"<html><head><title>Slow-baked beans | Brandname</title></head><body>{NAV}
<div class="content"><article class="post"><h1>Slow-baked beans</h1>
<p>The recipe needs two hours in a slow oven, and it is worth every minute of waiting for the sauce to turn dark.</p>
<p>Use a heavy pot with a tight lid, and stir once halfway through so the beans at the top do not dry out.</p>
</article><div class="feedback"><h3>5 thoughts on “Slow-baked beans”</h3><ol class="thread">{e1}{e2}{e3}{e4}{e5}</ol></div></div>
{FOOTER}</body></html>"#,
        e1 = entry("Priya", "Made these on Sunday and the whole family loved them, though I cut the sugar by half and added a bay leaf to the pot."),
        e2 = entry("Old Tom", "Too much salt for me, but a good base; next time I will soak the beans overnight and change the water twice first."),
        e3 = entry("Mina", "I tried this with black-eyed beans instead and it worked just as well, the sauce thickened after the lid came off."),
        e4 = entry("Jorge", "Can this be done in a slow cooker? My oven is tiny and I would rather not heat the whole kitchen in the summer heat."),
        e5 = entry("Ada", "We serve these with toasted sourdough and a fried egg on top, and there are never any leftovers, even doubled."),
    );
    let r = run(&html);
    for kept in ["two hours in a slow oven", "a heavy pot with a tight lid"] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    for gone in [
        "whole family loved",
        "black-eyed beans",
        "fried egg",
        "thoughts on",
    ] {
        assert!(!r.text.contains(gone), "{gone:?} kept:\n{}", r.text);
    }
    assert_eq!(r.metadata.comments.len(), 5, "{:?}", r.metadata.comments);
    assert!(r.metadata.comments[0].text.contains("whole family loved"));
}

#[test]
fn tab_panels_hidden_by_a_style_are_content() {
    // Install steps in tabs, one per platform; the script shows one panel and hides the
    // others with an inline style.
    let panel = |id: &str, shown: bool, body: &str| {
        let style = if shown {
            ""
        } else {
            r#" style="display: none""#
        };
        format!(r#"<div role="tabpanel" id="tab-{id}"{style}><p>{body}</p></div>"#)
    };
    let html = format!(
        r#"<html><head><title>Installing the client | Docs</title></head><body>{NAV}
<main><article><h1>Installing the client</h1>
<p>The client runs on every desktop system, and the steps differ only in how the package is fetched.</p>
<div class="tabs"><ul role="tablist"><li>Linux</li><li>macOS</li><li>Windows</li></ul>
{l}{m}{w}</div>
<p>Once installed, run the client once from a terminal so that it can write its configuration file.</p>
</article></main>
<div class="promo" style="display:none"><p>A banner the script shows to some visitors only, with an offer of a discount on the yearly plan.</p></div>
{FOOTER}</body></html>"#,
        l = panel("linux", true, "On Linux, install the package from your distribution's repository with its package manager."),
        m = panel("mac", false, "On macOS, drag the application from the disk image into the Applications folder and open it."),
        w = panel("win", false, "On Windows, run the installer and accept the defaults unless you need a different folder."),
    );
    let r = run(&html);
    for kept in [
        "from your distribution's repository",
        "into the Applications folder",
        "run the installer and accept",
        "write its configuration file",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    assert!(
        !r.text.contains("discount on the yearly plan"),
        "{}",
        r.text
    );
}

#[test]
fn boilerplate_lines_inside_the_article_are_dropped() {
    let html = format!(
        r#"<html lang="en"><head><title>Harbour ferry timetable changes | Brandname</title></head><body>
{NAV}<main><article>
<h1>Harbour ferry timetable changes</h1>
<p>{p1}</p>
<p>Advert</p>
<p>This slideshow requires JavaScript.</p>
<p>Image 1 of 3</p>
<p>{p2}</p>
<p><a href="/app"><strong>CLICK HERE TO GET THE BRANDNAME APP</strong></a></p>
<p>{p3}</p>
<p>Like this story? Share it with a friend!</p>
<p>This document is subject to copyright. Apart from any fair dealing for the purpose of private study or research, no part may be reproduced without the written permission.</p>
<h3>Trending News</h3>
<p><a href="/t1">Storm closes the coastal road for two days</a></p>
<p><a href="/t2">Council votes on a new bridge toll</a></p>
</article></main>{FOOTER}</body></html>"#,
        p1 = prose("ferry timetables", 4),
        p2 = prose("harbour crossings", 3),
        p3 = prose("winter sailings", 3),
    );
    let r = run(&html);
    for kept in [
        "Sentence number 3 about ferry timetables",
        "Sentence number 2 about harbour crossings",
        "Sentence number 2 about winter sailings",
    ] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    for gone in [
        "Advert",
        "slideshow requires",
        "Image 1 of 3",
        "BRANDNAME APP",
        "Share it with a friend",
        "subject to copyright",
        "Trending News",
        "Storm closes",
        "bridge toll",
    ] {
        assert!(
            !r.text.contains(gone),
            "{gone:?} should be dropped:\n{}",
            r.text
        );
    }
}

#[test]
fn popover_panels_are_not_the_content() {
    // A prompt in a `popover` element (hidden until a button opens it) with more text than
    // the short question of the page.
    let steps: String = (0..8)
        .map(|i| {
            format!(
                "<li>Step {i}: open the browser settings and find the notification permissions for this site, then pick your preference.</li>"
            )
        })
        .collect();
    let html = format!(
        r#"<html lang="en"><head><title>Where does the spare key go? - Locksmith Forum</title></head><body>{NAV}
<main><h1>Where does the spare key go?</h1>
<div class="post"><p>Our new front door came with a small spare key on a ring. Which of the two locks does it open, and should it be kept somewhere outside?</p></div>
</main>
<div popover id="push-prompt"><h4>Configure browser push notifications</h4><ul>{steps}</ul></div>
{FOOTER}</body></html>"#
    );
    let r = run(&html);
    assert!(
        r.text.contains("Which of the two locks does it open"),
        "question missing:\n{}",
        r.text
    );
    for gone in ["push notifications", "notification permissions"] {
        assert!(!r.text.contains(gone), "{gone:?} kept:\n{}", r.text);
    }
}

#[test]
fn thread_chrome_lines_are_dropped() {
    // A thread closed by the moderators, an attachment chip in a post, and lists of other
    // threads under the posts, all inside the element that holds the posts.
    let post = |who: &str, body: &str| {
        format!(
            r#"<div class="topic-post"><div class="post-author"><a href="/u/{who}">{who}</a></div>
<div class="post-body">{body}</div></div>"#
        )
    };
    let html = format!(
        r#"<html><head><title>Bread machine keeps stopping - Kitchen Forum</title></head><body>{NAV}
<div id="main-outlet"><h1>Bread machine keeps stopping</h1>
<div class="posts"><p>This thread is now closed.</p>
{p1}{p2}
<p>Check out other related discussions</p>
<ul><li><a href="/t/1">Rye loaf sinks in the middle</a></li><li><a href="/t/2">Which yeast for a timer bake</a></li>
<li><a href="/t/3">Crust too dark on setting two</a></li></ul>
<h3>More topics from this board</h3>
<ul><li><a href="/t/4">Gluten free flour blends compared</a></li><li><a href="/t/5">Cleaning the kneading paddle</a></li></ul>
</div></div>{FOOTER}</body></html>"#,
        p1 = post(
            "crumb",
            &format!(
                "<p>{}</p><p><a href=\"/f/1\">error-log.txt</a></p><p>(95.79 KiB) Downloaded 478 times</p>",
                prose("the stopping machine", 3)
            )
        ),
        p2 = post("paddle", &format!("<p>{}</p>", prose("the thermal fuse", 3))),
    );
    let r = run(&html);
    for kept in ["about the stopping machine", "about the thermal fuse"] {
        assert!(r.text.contains(kept), "{kept:?} missing:\n{}", r.text);
    }
    for gone in [
        "thread is now closed",
        "Downloaded 478 times",
        "related discussions",
        "Rye loaf sinks",
        "Crust too dark",
        "More topics from this board",
        "Cleaning the kneading paddle",
    ] {
        assert!(!r.text.contains(gone), "{gone:?} kept:\n{}", r.text);
    }
}
