// @generated: a verbatim copy of `runtime/src/memo.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! A one-entry memo: the value computed for the last inputs, computed again when they change.
//! The client keeps its resolved endpoint in one, so the endpoint rules run once per
//! configuration instead of once per call.

use std::sync::Mutex;

pub struct Memo<K, V> {
    last: Mutex<Option<(K, V)>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            last: Mutex::new(None),
        }
    }
}

impl<K, V: Clone> Memo<K, V> {
    /// The remembered value when `is_current` accepts its key, else `compute`'s (remembered
    /// on success; an error is returned and nothing is kept).
    pub fn get_or_try<E>(
        &self,
        is_current: impl FnOnce(&K) -> bool,
        compute: impl FnOnce() -> Result<(K, V), E>,
    ) -> Result<V, E> {
        // A poisoned lock only means another thread panicked while holding it; the entry is
        // whole (it is replaced in one assignment).
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((key, value)) = last.as_ref() {
            if is_current(key) {
                return Ok(value.clone());
            }
        }
        let (key, value) = compute()?;
        *last = Some((key, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_again_only_when_the_key_changes() {
        let memo: Memo<String, usize> = Memo::default();
        let runs = Cell::new(0);
        let get = |key: &str| {
            memo.get_or_try(
                |k| k == key,
                || {
                    runs.set(runs.get() + 1);
                    Ok::<_, ()>((key.to_owned(), key.len()))
                },
            )
        };
        assert_eq!(get("us-west-2"), Ok(9));
        assert_eq!(get("us-west-2"), Ok(9));
        assert_eq!(runs.get(), 1);
        assert_eq!(get("eu-west-1"), Ok(9));
        assert_eq!(runs.get(), 2);
        assert_eq!(get("us-west-2"), Ok(9));
        assert_eq!(runs.get(), 3);
    }

    #[test]
    fn errors_are_not_remembered() {
        let memo: Memo<u8, u8> = Memo::default();
        assert_eq!(
            memo.get_or_try(|_| true, || Err::<(u8, u8), _>("no")),
            Err("no")
        );
        assert_eq!(memo.get_or_try(|_| true, || Ok::<_, ()>((1, 2))), Ok(2));
        assert_eq!(memo.get_or_try(|_| true, || Err(())), Ok(2));
    }
}
