//! Metadata accuracy on pages written for these tests: which title wins when OpenGraph, the
//! `<title>`, JSON-LD and the main heading disagree; site names around titles; bylines in
//! many shapes; publication dates in several formats and languages of markup.

use gristmill::{Pipeline, PipelineConfig, Record, Source};

fn run(html: &str) -> Record {
    let pipe = Pipeline::from_config(PipelineConfig::default())
        .expect("default config compiles")
        .with_added("2025-01-01T00:00:00Z".to_string());
    let src = Source::from_bytes("page.html", html.as_bytes().to_vec());
    pipe.process(&src).expect("page processes")
}

/// A page with `head` in `<head>` and `body` in an `<article>` followed by enough prose
/// to be the main content.
fn page(head: &str, body: &str) -> String {
    let prose = (0..6)
        .map(|i| {
            format!(
                "<p>Paragraph {i} tells the reader one more thing about the subject of this \
                 page in calm and complete sentences. It goes on for a while so that the \
                 block reads like prose and not like a menu.</p>"
            )
        })
        .collect::<String>();
    format!(
        r#"<html lang="en"><head>{head}</head><body>
<header class="site-header"><a href="/">Quillbrook</a><nav><a href="/a">Home</a>
<a href="/b">Topics</a><a href="/c">About</a></nav></header>
<main><article>{body}{prose}</article></main>
<footer class="site-footer"><p>Copyright Quillbrook Press.</p></footer></body></html>"#
    )
}

fn title(r: &Record) -> Option<&str> {
    r.metadata.title.as_deref()
}

fn author(r: &Record) -> Option<&str> {
    r.metadata.author.as_deref()
}

fn day(r: &Record) -> Option<&str> {
    r.created.as_deref().and_then(|d| d.get(..10))
}

#[test]
fn heading_wins_over_a_shortened_head_title() {
    let r = run(&page(
        "<title>Winter Sowing Guide | Quillbrook</title>",
        "<h1>Winter Sowing Guide for Cold Frames and Balconies</h1>",
    ));
    assert_eq!(
        title(&r),
        Some("Winter Sowing Guide for Cold Frames and Balconies")
    );
    assert!(!r.text.contains("Winter Sowing Guide for Cold"));
}

#[test]
fn heading_repeated_whole_by_a_head_title_keeps_its_separator() {
    let r = run(&page(
        r#"<title>Knot Tying - Six Knots Every Sailor Uses | Quillbrook</title>
<meta property="og:title" content="Knot Tying - Six Knots Every Sailor Uses">"#,
        "<h1>Knot Tying - Six Knots Every Sailor Uses</h1>",
    ));
    assert_eq!(title(&r), Some("Knot Tying - Six Knots Every Sailor Uses"));
}

#[test]
fn heading_repeated_whole_loses_the_tagline_after_a_long_first_part() {
    // A first part of four or more words before ` - ` or ` | ` is the headline; after it
    // comes a tagline. An em dash joins two halves of one headline and stays.
    let r = run(&page(
        r#"<meta property="og:title" content="Pruning Old Apple Trees - A Winter Job">"#,
        "<h1>Pruning Old Apple Trees - A Winter Job</h1>",
    ));
    assert_eq!(title(&r), Some("Pruning Old Apple Trees"));
    let r = run(&page(
        r#"<meta property="og:title" content="Pruning Old Apple Trees — and Why It Pays">"#,
        "<h1>Pruning Old Apple Trees — and Why It Pays</h1>",
    ));
    assert_eq!(title(&r), Some("Pruning Old Apple Trees — and Why It Pays"));
}

#[test]
fn slogan_heading_gives_way_to_the_head_title() {
    let r = run(&page(
        r#"<meta property="og:title" content="Invoice Software for Freelancers">"#,
        "<h1>Get paid faster, worry less</h1>",
    ));
    assert_eq!(title(&r), Some("Invoice Software for Freelancers"));
}

#[test]
fn reworded_heading_with_shared_words_wins() {
    let r = run(&page(
        r#"<meta property="og:title" content="Best Trail Shoes of the Year, Ranked">"#,
        "<h1>The Trail Shoes We Ranked Best This Year</h1>",
    ));
    assert_eq!(title(&r), Some("The Trail Shoes We Ranked Best This Year"));
}

/// A page whose `<h1>` stands in an article header above the main container (`pre` goes
/// there), with `body` inside it.
fn page_with_header(head: &str, pre: &str, body: &str) -> String {
    page(head, body).replace(
        "<main><article>",
        &format!(r#"<div class="entry-hero">{pre}</div><main><article>"#),
    )
}

#[test]
fn headline_above_the_main_container_wins_over_a_reworded_head_title() {
    // Few shared words: inside the container such a heading is a slogan, but an `<h1>` of
    // a headline's length set above the body heads the article.
    let head = r#"<meta property="og:title" content="Shade Gardens: Plans, Plants and Costs">"#;
    let h1 = "<h1>How I Turned a Dark Yard into a Fern Garden</h1>";
    let r = run(&page_with_header(head, h1, ""));
    assert_eq!(
        title(&r),
        Some("How I Turned a Dark Yard into a Fern Garden")
    );
    let r = run(&page(head, h1));
    assert_eq!(title(&r), Some("Shade Gardens: Plans, Plants and Costs"));
    // A short heading above the container (a section or site label) does not.
    let r = run(&page_with_header(head, "<h1>Garden Diary</h1>", ""));
    assert_eq!(title(&r), Some("Shade Gardens: Plans, Plants and Costs"));
}

#[test]
fn site_name_heading_and_leading_site_part_are_not_the_title() {
    let r = run(&page(
        r#"<meta property="og:site_name" content="Quillbrook">
<meta property="og:title" content="Quillbrook | Pruning Old Apple Trees">"#,
        "<h1>Quillbrook</h1>",
    ));
    assert_eq!(title(&r), Some("Pruning Old Apple Trees"));
}

#[test]
fn heading_with_a_prefix_before_the_head_title_gives_way() {
    let r = run(&page(
        r#"<meta property="og:title" content="Which glue holds wet wood?">"#,
        "<h1>Thread: Which glue holds wet wood?</h1>",
    ));
    assert_eq!(title(&r), Some("Which glue holds wet wood?"));
}

#[test]
fn same_words_take_the_head_spelling_and_decoration_is_trimmed() {
    let r = run(&page(
        r#"<meta property="og:title" content="Why Rye Bread Doesn't Rise">"#,
        "<h1>Why Rye Bread Doesn\u{2019}t Rise</h1>",
    ));
    assert_eq!(title(&r), Some("Why Rye Bread Doesn't Rise"));
    let r = run(&page("<title>## Ferment Notes ⋆</title>", "<h2>Intro</h2>"));
    assert_eq!(title(&r), Some("Ferment Notes"));
}

#[test]
fn jsonld_person_reference_names_the_author() {
    let r = run(&page(
        r##"<title>Mending Nets</title><script type="application/ld+json">{"@graph":[
{"@type":"Article","headline":"Mending Nets","author":{"@id":"#p1"},"datePublished":"2024-02-03T10:00:00Z"},
{"@type":"Person","@id":"#p1","name":"Oskar Lindqvist"}]}</script>"##,
        "<h1>Mending Nets</h1>",
    ));
    assert_eq!(author(&r), Some("Oskar Lindqvist"));
    assert_eq!(day(&r), Some("2024-02-03"));
}

#[test]
fn organisation_author_gives_way_to_a_byline_person() {
    let r = run(&page(
        r#"<title>Salt Marsh Birds</title><script type="application/ld+json">{"@type":"NewsArticle",
"headline":"Salt Marsh Birds","author":{"@type":"Organization","name":"Coastal Trust"}}</script>"#,
        r#"<h1>Salt Marsh Birds</h1><p class="byline">By Imogen Ashdown</p>"#,
    ));
    assert_eq!(author(&r), Some("Imogen Ashdown"));
    let r = run(&page(
        r#"<title>Salt Marsh Birds</title><script type="application/ld+json">{"@type":"NewsArticle",
"headline":"Salt Marsh Birds","author":{"@type":"Organization","name":"Coastal Trust"}}</script>"#,
        "<h1>Salt Marsh Birds</h1>",
    ));
    assert_eq!(author(&r), Some("Coastal Trust"));
}

#[test]
fn bylines_lose_roles_prefixes_and_bios() {
    let r = run(&page(
        "<title>Clay Ovens</title>",
        r#"<h1>Clay Ovens</h1><div class="post-author">Recipe by Tamsin Ferrow Senior Food Editor</div>"#,
    ));
    assert_eq!(author(&r), Some("Tamsin Ferrow"));
    let r = run(&page(
        "<title>Clay Ovens</title>",
        r#"<h1>Clay Ovens</h1><a href="/authors/dara-quell">Dara Quell Dara Quell is a baker in Leeds</a>"#,
    ));
    assert_eq!(author(&r), Some("Dara Quell"));
    let r = run(&page(
        "<title>Clay Ovens</title>",
        r#"<h1>Clay Ovens</h1><div><p>Written by</p><p>Noor Halvorsen</p></div>"#,
    ));
    assert_eq!(author(&r), Some("Noor Halvorsen"));
}

#[test]
fn unmarked_by_line_names_the_author() {
    let r = run(&page(
        "<title>Clay Ovens</title>",
        r#"<h1>Clay Ovens</h1><p>By clicking you agree to our terms.</p><div><span>By <a href="/p/9">Ilse Vantongeren</a></span></div>"#,
    ));
    assert_eq!(author(&r), Some("Ilse Vantongeren"));
}

#[test]
fn user_names_keep_their_digits_and_updated_is_no_name() {
    let r = run(&page(
        "<title>Fan noise</title>",
        r#"<h1>Fan noise</h1><span class="author">Updated</span><span class="username author">Gearhead77</span>"#,
    ));
    assert_eq!(author(&r), Some("Gearhead77"));
}

#[test]
fn dates_in_many_forms() {
    let r = run(&page(
        r#"<meta name="published" content="July 17, 2023"><title>Kites</title>"#,
        "<h1>Kites</h1>",
    ));
    assert_eq!(day(&r), Some("2023-07-17"));
    let r = run(&page(
        r#"<link rel="canonical" href="https://example.org/2022/05/09/kites-at-dawn/"><title>Kites</title>"#,
        "<h1>Kites</h1>",
    ));
    assert_eq!(day(&r), Some("2022-05-09"));
    let r = run(&page(
        "<title>Kites</title>",
        "<h1>Kites</h1><p>23.07.2021</p>",
    ));
    assert_eq!(day(&r), Some("2021-07-23"));
    let r = run(&page(
        "<title>Kites</title>",
        "<h1>Kites</h1><p>4 Sept. 2020</p>",
    ));
    assert_eq!(day(&r), Some("2020-09-04"));
    let r = run(&page(
        r#"<meta property="article:published_time" content="2019-11-30T08:00:00+01:00"><title>Drachen</title>"#,
        "<h1>Drachen</h1>",
    ));
    assert_eq!(day(&r), Some("2019-11-30"));
}

#[test]
fn dates_in_other_languages() {
    for (line, want) in [
        ("4. März 2023", "2023-03-04"),
        ("12 août 2021", "2021-08-12"),
        ("7 de diciembre de 2020", "2020-12-07"),
        ("21 maggio 2019", "2019-05-21"),
        ("3 mei 2018", "2018-05-03"),
    ] {
        let r = run(&page(
            "<title>Drachen</title>",
            &format!(r#"<h1>Drachen</h1><span class="post-date">{line}</span>"#),
        ));
        assert_eq!(day(&r), Some(want), "{line}");
    }
}

#[test]
fn no_date_is_made_up() {
    let r = run(&page(
        "<title>Kites</title>",
        "<h1>Kites</h1><p>Open 24/7</p><p>Call 0800 123 4567 for help.</p>",
    ));
    assert_eq!(day(&r), None);
}

#[test]
fn host_names_the_site_in_a_title() {
    // No og:site_name: the canonical address names the site, so the leading part is
    // the site's, and the heading that repeats the rest is the title.
    let r = run(&page(
        r#"<link rel="canonical" href="https://www.quillbrook.co.uk/guides/pruning">
<title>Quillbrook | Pruning Old Apple Trees</title>"#,
        "<h1>Pruning Old Apple Trees</h1>",
    ));
    assert_eq!(title(&r), Some("Pruning Old Apple Trees"));
    // A heading that is the site's name (by its address) leaves the head title.
    let r = run(&page(
        r#"<link rel="canonical" href="https://forum.marshwren.org/t/4411">
<title>Wiring a second fan / Hardware / Marsh Wren</title>"#,
        "<h1>Marsh Wren</h1>",
    ));
    assert_eq!(title(&r), Some("Wiring a second fan"));
}

#[test]
fn site_first_head_title_of_an_inner_page_gives_way_to_the_heading() {
    let r = run(&page(
        r#"<link rel="canonical" href="https://www.marshwren.org/r/cooking/comments/x1/">
<title>Marsh Wren - Where hobbies meet</title>"#,
        "<h1>Seasoning a carbon steel wok</h1>",
    ));
    assert_eq!(title(&r), Some("Seasoning a carbon steel wok"));
}

#[test]
fn home_page_keeps_its_site_first_title_whole() {
    let r = run(&page(
        r#"<link rel="canonical" href="https://www.marshwren.org/">
<title>Marsh Wren - Project planning for small teams</title>"#,
        "<h1>Plans that keep up with you</h1>",
    ));
    assert_eq!(
        title(&r),
        Some("Marsh Wren - Project planning for small teams")
    );
}

#[test]
fn label_before_the_title_in_a_heading_is_dropped() {
    // A forum thread prefix: the markup runs it into the heading without a separator;
    // the head titles give the label and the title apart.
    let r = run(&page(
        r#"<meta property="og:title" content="Fixed - Kettle trips the breaker">
<meta name="twitter:title" content="Kettle trips the breaker">"#,
        "<h1><span class=\"label\">Fixed</span> Kettle trips the breaker</h1>",
    ));
    assert_eq!(title(&r), Some("Kettle trips the breaker"));
}

#[test]
fn heading_that_lost_its_separator_takes_the_head_spelling() {
    let r = run(&page(
        "<title>Canvas Tote - 2210 | Quillbrook Supply</title>",
        "<h1>Canvas Tote <span>2210</span></h1>",
    ));
    assert_eq!(title(&r), Some("Canvas Tote - 2210"));
}

#[test]
fn source_chip_and_comment_count_after_a_heading_are_dropped() {
    let r = run(&page(
        "<title>Town Votes To Keep Its Night Buses - Quillbrook</title>",
        "<h1>Town Votes To Keep Its Night Buses <span>(example.com)</span> <a>412</a></h1>",
    ));
    assert_eq!(title(&r), Some("Town Votes To Keep Its Night Buses"));
}

#[test]
fn permalink_mark_after_a_heading_is_trimmed() {
    let r = run(&page(
        r#"<meta property="og:title" content="gzip — Support for gzip files">
<title>gzip — Support for gzip files — Quillbrook 2.1 documentation</title>"#,
        "<h1>gzip — Support for gzip files<a class=\"headerlink\" href=\"#x\">¶</a></h1>",
    ));
    assert_eq!(title(&r), Some("gzip — Support for gzip files"));
}

#[test]
fn structured_author_may_be_a_lower_case_user_name() {
    let r = run(&page(
        "<title>Loose hinge</title>",
        r#"<h1>Loose hinge</h1><div itemprop="author" itemscope><span itemprop="name">reed.warbler</span></div>"#,
    ));
    assert_eq!(author(&r), Some("reed.warbler"));
}

#[test]
fn thread_starter_from_a_link_to_the_user_page() {
    let r = run(&page(
        r#"<link rel="canonical" href="https://talk.marshwren.org/threads/loose-hinge.88/">
<title>Loose hinge</title>"#,
        r#"<h1>Loose hinge</h1><div class="message"><a href="/members/reedwarbler.311/">reedwarbler</a>
<a href="https://talk.marshwren.org/members/finchley.7/">finchley</a></div>"#,
    ));
    assert_eq!(author(&r), Some("reedwarbler"));
}

#[test]
fn user_page_links_that_name_no_user_are_not_authors() {
    // An action link to the user area, a profile on another site and a product
    // reviewer are no author of the page; nor is a search form's "By:" field.
    let r = run(&page(
        r#"<link rel="canonical" href="https://shop.marshwren.org/p/kettle">
<title>Kettle</title>"#,
        r#"<h1>Kettle</h1><a href="/users/sign_up">Sign up for free</a>
<a href="https://video.example.com/user/marshwrenvideos">marshwrenvideos</a>
<div class="reviews"><a href="/u/tealdrake">tealdrake</a></div>
<form><label>By:</label><input name="member" placeholder="Member"><span>Search Advanced</span></form>"#,
    ));
    assert_eq!(author(&r), None);
}

#[test]
fn same_words_keep_the_spelling_with_its_punctuation() {
    let r = run(&page(
        r#"<meta property="og:title" content="Can Sourdough Starter Freeze">"#,
        "<h1>Can Sourdough Starter Freeze?</h1>",
    ));
    assert_eq!(title(&r), Some("Can Sourdough Starter Freeze?"));
}

#[test]
fn heading_inside_the_middle_of_the_head_title_is_a_fragment() {
    let r = run(&page(
        r#"<meta property="og:title" content="How we moved every Compost bin to the new yard">"#,
        "<h1>Compost</h1>",
    ));
    assert_eq!(
        title(&r),
        Some("How we moved every Compost bin to the new yard")
    );
    // At the start of the head title, the heading is the title and the rest a tagline.
    let r = run(&page(
        r#"<meta property="og:title" content="Compost Bins for Small Gardens and Balconies">"#,
        "<h1>Compost Bins</h1>",
    ));
    assert_eq!(title(&r), Some("Compost Bins"));
}

#[test]
fn shorter_of_two_rewordings_gives_way() {
    let r = run(&page(
        r#"<meta property="og:title" content="Best Budget Road Bikes for New Riders in 2025">"#,
        "<h1>Best Road Bikes for 2025</h1>",
    ));
    assert_eq!(
        title(&r),
        Some("Best Budget Road Bikes for New Riders in 2025")
    );
}

#[test]
fn heading_naming_a_middle_part_of_the_head_title_is_not_the_site() {
    // `Product | Category | Site`: a heading equal to the last part names the site (the
    // head title wins), one equal to a part between names this page's category.
    let r = run(&page(
        "<title>Camp Lantern Reviews | Best Camp Lantern Picks | Emberline</title>",
        "<h1>Best Camp Lantern Picks</h1>",
    ));
    assert_eq!(title(&r), Some("Best Camp Lantern Picks"));
    let r = run(&page(
        "<title>Trail Lantern 300 | Camp Lights | Emberline Outfitters</title>",
        "<h1>Emberline Outfitters</h1>",
    ));
    assert_eq!(title(&r), Some("Trail Lantern 300"));
}

#[test]
fn head_title_that_is_only_the_site_name_gives_way_on_an_inner_page() {
    let head = r#"<meta property="og:site_name" content="Emberline">
<meta property="og:title" content="Emberline">
<link rel="canonical" href="https://emberline.example/guides/lantern-care">"#;
    let r = run(&page(head, "<h1>How to Care for a Brass Lantern</h1>"));
    assert_eq!(title(&r), Some("How to Care for a Brass Lantern"));
    // On the home page the site's name is the page's title.
    let home = head.replace("/guides/lantern-care", "/");
    let r = run(&page(&home, "<h1>Lanterns for every trail</h1>"));
    assert_eq!(title(&r), Some("Emberline"));
}

/// `run` with the address the input gives the page (a WARC record's target, a JSONL row's
/// `url`).
fn run_at(html: &str, url: &str) -> Record {
    let pipe = Pipeline::from_config(PipelineConfig::default())
        .expect("default config compiles")
        .with_added("2025-01-01T00:00:00Z".to_string());
    let mut src = Source::from_bytes("page.html", html.as_bytes().to_vec());
    src.url = Some(url.to_string());
    pipe.process(&src).expect("page processes")
}

#[test]
fn the_inputs_address_dates_a_page_that_gives_none() {
    let html = page(
        "<title>Harbour Ferry Returns | Quillbrook</title>",
        "<h1>Harbour Ferry Returns</h1>",
    );
    assert_eq!(day(&run(&html)), None);
    let r = run_at(
        &html,
        "https://news.example/2024/05/17/harbour-ferry-returns",
    );
    assert_eq!(day(&r), Some("2024-05-17"));
    assert_eq!(
        r.metadata.url.as_deref(),
        Some("https://news.example/2024/05/17/harbour-ferry-returns")
    );
}

#[test]
fn a_root_relative_canonical_address_is_completed_from_the_inputs() {
    let html = page(
        r#"<title>Tide Tables | Quillbrook</title><link rel="canonical" href="/2023/11/02/tide-tables">"#,
        "<h1>Tide Tables</h1>",
    );
    let r = run_at(&html, "https://news.example/archive?id=7");
    assert_eq!(
        r.metadata.url.as_deref(),
        Some("https://news.example/2023/11/02/tide-tables")
    );
    assert_eq!(day(&r), Some("2023-11-02"));
    // A protocol-relative one takes the input's scheme.
    let html = page(
        r#"<title>Tide Tables | Quillbrook</title><link rel="canonical" href="//news.example/2023/11/03/tides">"#,
        "<h1>Tide Tables</h1>",
    );
    let r = run_at(&html, "https://mirror.example/x");
    assert_eq!(
        r.metadata.url.as_deref(),
        Some("https://news.example/2023/11/03/tides")
    );
    assert_eq!(day(&r), Some("2023-11-03"));
}
