// @generated: a verbatim copy of `runtime/src/paginator.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! Paginators: repeat a call with the output's token until the service stops sending one.

use futures_util::stream::{self, Stream, StreamExt};

use super::client::Config;
use super::error::{ProvideErrorMeta, SdkError};
use super::operation::Operation;

/// Pages of a paginated operation, fetched one call at a time.
pub struct Paginator<O: Operation> {
    config: Config,
    /// The input of the next call; `None` once the last page was fetched.
    next: Option<O::Input>,
    /// The token the last call sent (`None` for the first call).
    sent_token: Option<String>,
    set_token: fn(&mut O::Input, String),
    get_token: fn(&O::Output) -> Option<&str>,
}

impl<O> Paginator<O>
where
    O: Operation,
    O::Input: Clone,
    O::Error: ProvideErrorMeta,
{
    pub fn new(
        config: Config,
        input: O::Input,
        set_token: fn(&mut O::Input, String),
        get_token: fn(&O::Output) -> Option<&str>,
    ) -> Self {
        Paginator {
            config,
            next: Some(input),
            sent_token: None,
            set_token,
            get_token,
        }
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        let input = self.next.take()?;
        let result = self.config.invoke::<O>(&input).await;
        if let Ok(output) = &result {
            // An empty token, or the token just sent, ends the pages (a service bug must not
            // loop forever).
            if let Some(token) = (self.get_token)(output).filter(|t| !t.is_empty()) {
                if self.sent_token.as_deref() != Some(token) {
                    let mut next = input;
                    (self.set_token)(&mut next, token.to_string());
                    self.sent_token = Some(token.to_string());
                    self.next = Some(next);
                }
            }
        }
        Some(result)
    }

    /// Every page, as a stream.
    pub fn into_pages(self) -> impl Stream<Item = Result<O::Output, SdkError<O::Error>>> {
        stream::unfold(
            self,
            |mut p| async move { p.next_page().await.map(|r| (r, p)) },
        )
    }

    /// Every item of every page, as a stream; `items` takes a page's items out.
    pub fn into_items<T>(
        self,
        items: fn(O::Output) -> Vec<T>,
    ) -> impl Stream<Item = Result<T, SdkError<O::Error>>> {
        self.into_pages().flat_map(move |page| {
            let batch: Vec<Result<T, SdkError<O::Error>>> = match page {
                Ok(output) => items(output).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(batch)
        })
    }
}
