//! Model documentation (HTML in AWS models) to rustdoc Markdown.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

thread_local! {
    /// Conversions already done while emitting the current crate: a shape's documentation
    /// is printed on its type, its fields, getters, setters and fluent setters alike.
    static CONVERTED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Forgets the conversions of the previous crate (called when a crate's emission starts).
pub fn clear_cache() {
    CONVERTED.with(|c| c.borrow_mut().clear());
}

/// Converts HTML documentation to Markdown; plain text passes through.
pub fn to_markdown(html: &str) -> String {
    if let Some(done) = CONVERTED.with(|c| c.borrow().get(html).cloned()) {
        return done;
    }
    let markdown = convert(html);
    CONVERTED.with(|c| c.borrow_mut().insert(html.to_string(), markdown.clone()));
    markdown
}

fn convert(html: &str) -> String {
    let markdown = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style"])
        .build()
        .convert(html)
        .unwrap_or_else(|_| html.to_string());
    // Square brackets would be read as intra-doc links; rustdoc warns on the broken ones.
    let mut out = String::new();
    for line in markdown.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_string()
}

/// `#[doc = "..."]` attributes, one per line, so prettyplease prints them as `///` comments.
pub fn attrs(docs: Option<&str>) -> TokenStream {
    let Some(html) = docs.filter(|d| !d.trim().is_empty()) else {
        return TokenStream::new();
    };
    lines(&to_markdown(html))
}

/// Inner `#![doc = "..."]` attributes (crate documentation).
pub fn inner_attrs(docs: Option<&str>) -> TokenStream {
    let Some(html) = docs.filter(|d| !d.trim().is_empty()) else {
        return TokenStream::new();
    };
    let markdown = to_markdown(html);
    let lines = markdown.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Doc attributes for text that is already Markdown.
pub fn lines(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_aws_html() {
        let md = to_markdown("<p>Gets the <code>ImageGenerationConfiguration</code> for a <a href=\"https://x/\">stream</a>.</p> <ul><li><p>one</p></li></ul>");
        assert!(md.contains("`ImageGenerationConfiguration`"), "{md}");
        assert!(md.contains("[stream](https://x/)"), "{md}");
        assert!(md.contains("one"), "{md}");
    }
}
