//! Reading JSON in one pass, straight from the response bytes into the generated types, with
//! no `serde_json::Value` tree in between. The generated crate implements [`ReadObject`] for
//! each structure it reads; the seeds here read everything else (strings, numbers, enums,
//! timestamps, blobs, documents, lists, maps) and are combined as the model says.
//!
//! The rules are those of AWS SDKs: unknown keys are skipped, `null` reads as absent (and is
//! dropped from dense lists and maps), types are strict (a string is never read as a number),
//! unknown enum values are kept. A failure names the path to the bad value
//! (`ImageGenerationConfiguration.Formats[2]: expected a string, found a number`): each level
//! adds its segment as the error passes through it, so a successful read does no path work.
//!
//! The same readers read a `Value` already in hand (documents, error bodies): any serde
//! `Deserializer` will do.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
pub use serde::de::{IgnoredAny, MapAccess};

use super::datetime::{DateTime, Format};
use super::json::{DeserializeError, Value};

thread_local! {
    /// The path of the failure being reported, innermost segment first.
    static ERROR_PATH: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Adds `segment` (a member name, `[3]`, `["key"]`) to the path of error `e` as it leaves that
/// member, item or entry.
pub fn at<E>(e: E, segment: impl Into<String>) -> E {
    ERROR_PATH.with(|p| p.borrow_mut().push(segment.into()));
    e
}

thread_local! {
    /// Set while a document keyed by member names is read (`from_document`).
    static DOCUMENT: Cell<bool> = const { Cell::new(false) };
}

fn in_document() -> bool {
    DOCUMENT.with(Cell::get)
}

fn take_path() -> Vec<String> {
    ERROR_PATH.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// Reads a whole body with `seed`. An empty body reads as `{}` (AWS sends none for empty
/// outputs); anything after the value but whitespace is an error.
pub fn from_body<'de, S: DeserializeSeed<'de>>(
    body: &'de [u8],
    seed: S,
) -> Result<S::Value, DeserializeError> {
    let body: &'de [u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    take_path();
    let mut de = serde_json::Deserializer::from_slice(body);
    seed.deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(to_error)
}

/// Reads a value already parsed (a document, an error body) with `seed`.
pub fn from_value<'de, S: DeserializeSeed<'de>>(
    value: &'de Value,
    seed: S,
) -> Result<S::Value, DeserializeError> {
    take_path();
    seed.deserialize(value).map_err(to_error)
}

/// Reads a document written by people or for them (`--cli-input-json`): keyed by the model's
/// member names, so a member with a wire name of its own (`@jsonName`) is read by its member
/// name, and a timestamp may be epoch seconds or an ISO-8601 string whatever its wire format.
pub fn from_document<'de, S: DeserializeSeed<'de>>(
    value: &'de Value,
    seed: S,
) -> Result<S::Value, DeserializeError> {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            DOCUMENT.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DOCUMENT.with(|d| d.replace(true)));
    from_value(value, seed)
}

fn to_error(e: serde_json::Error) -> DeserializeError {
    let path = take_path();
    if e.is_data() {
        // Our own message; serde_json appends where in the text it was.
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(position.as_str()).unwrap_or(&text);
        path.into_iter()
            .fold(DeserializeError::new(message), |e, segment| e.at(segment))
    } else {
        // Not JSON at all: where in the text says more than a member path.
        DeserializeError::new(format!("invalid JSON: {e}"))
    }
}

fn wrong_type<E: de::Error>(expected: &str, found: &str) -> E {
    E::custom(format_args!("expected {expected}, found {found}"))
}

/// A JSON scalar as met, or the kind of a container (which is then an error).
enum Scalar<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
}

impl Scalar<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a boolean",
            Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_) => "a number",
            Scalar::Str(_) => "a string",
        }
    }

    fn number_text(&self) -> Option<String> {
        match self {
            Scalar::I64(n) => Some(n.to_string()),
            Scalar::U64(n) => Some(n.to_string()),
            Scalar::F64(f) => serde_json::Number::from_f64(*f).map(|n| n.to_string()),
            _ => None,
        }
    }
}

/// Reads one scalar; an array or object is an error saying what was `expected`.
fn scalar<'de, D: Deserializer<'de>>(
    d: D,
    expected: &'static str,
) -> Result<Scalar<'de>, D::Error> {
    d.deserialize_any(ScalarVisitor(expected))
}

struct ScalarVisitor(&'static str);

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Scalar<'de>, A::Error> {
        Err(wrong_type(self.0, "an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Scalar<'de>, A::Error> {
        Err(wrong_type(self.0, "an object"))
    }
}

/// Defines a seed type reading one scalar into `$value`.
macro_rules! scalar_seed {
    ($(#[$doc:meta])* $name:ident -> $value:ty, $expected:literal, |$s:ident| $read:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl<'de> DeserializeSeed<'de> for $name {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
                let $s = scalar(d, $expected)?;
                $read
            }
        }
    };
}

scalar_seed!(
    /// A string.
    Str -> String, "a string", |s| match s {
        Scalar::Str(v) => Ok(v.into_owned()),
        other => Err(wrong_type("a string", other.kind())),
    }
);

scalar_seed!(
    /// A boolean.
    Bool -> bool, "a boolean", |s| match s {
        Scalar::Bool(v) => Ok(v),
        other => Err(wrong_type("a boolean", other.kind())),
    }
);

scalar_seed!(
    /// A `double`: a JSON number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
    Double -> f64, "a number", |s| float(s)
);

scalar_seed!(
    /// A `float` (read as a `double`, then narrowed).
    Float -> f32, "a number", |s| float(s).map(|f| f as f32)
);

scalar_seed!(
    /// `bigInteger` / `bigDecimal`: the number's text.
    NumberText -> String, "a number", |s| match s.number_text() {
        Some(text) => Ok(text),
        None => Err(wrong_type("a number", s.kind())),
    }
);

scalar_seed!(
    /// A blob: a base64 string.
    Blob -> Vec<u8>, "a base64 string", |s| match s {
        Scalar::Str(v) => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(v.as_bytes())
                .map_err(|e| de::Error::custom(format_args!("invalid base64: {e}")))
        }
        other => Err(wrong_type("a base64 string", other.kind())),
    }
);

fn float<E: de::Error>(s: Scalar) -> Result<f64, E> {
    match s {
        Scalar::I64(n) => Ok(n as f64),
        Scalar::U64(n) => Ok(n as f64),
        Scalar::F64(f) => Ok(f),
        Scalar::Str(v) => match v.as_ref() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::custom(format_args!(
                "expected a number, found the string {other:?}"
            ))),
        },
        other => Err(wrong_type("a number", other.kind())),
    }
}

/// An integral JSON number that fits `T` (`i8` .. `i64`).
pub struct Int<T>(PhantomData<T>);

impl<T> Int<T> {
    pub const fn new() -> Self {
        Int(PhantomData)
    }
}

impl<T> Default for Int<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for Int<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Int<T> {}

impl<'de, T: TryFrom<i64>> DeserializeSeed<'de> for Int<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        integer(scalar(d, "an integer")?)
    }
}

fn integer<T: TryFrom<i64>, E: de::Error>(s: Scalar) -> Result<T, E> {
    let n = match s {
        Scalar::I64(n) => n,
        Scalar::U64(n) => i64::try_from(n)
            .map_err(|_| E::custom(format_args!("expected an integer, found {n}")))?,
        Scalar::F64(_) => {
            let text = s.number_text().unwrap_or_default();
            return Err(E::custom(format_args!("expected an integer, found {text}")));
        }
        other => return Err(wrong_type("an integer", other.kind())),
    };
    T::try_from(n).map_err(|_| {
        E::custom(format_args!(
            "{n} is out of range for {}",
            std::any::type_name::<T>()
        ))
    })
}

/// A timestamp: epoch seconds are numbers on the wire, the other formats strings.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp(pub Format);

impl<'de> DeserializeSeed<'de> for Timestamp {
    type Value = DateTime;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<DateTime, D::Error> {
        let s = scalar(d, "a timestamp")?;
        // Epoch seconds are numbers; a document may spell any timestamp so.
        let numbers = self.0 == Format::EpochSeconds || in_document();
        match (self.0, s) {
            (_, Scalar::I64(n)) if numbers => Ok(DateTime::from_secs_f64(n as f64)),
            (_, Scalar::U64(n)) if numbers => Ok(DateTime::from_secs_f64(n as f64)),
            (_, Scalar::F64(f)) if numbers => Ok(DateTime::from_secs_f64(f)),
            // Documents written by people (`--cli-input-json`) spell timestamps as ISO-8601.
            (Format::EpochSeconds, Scalar::Str(v)) => DateTime::parse(&v, Format::DateTime)
                .map_err(|_| wrong_type("epoch seconds (a number)", "a string")),
            (Format::EpochSeconds, other) => {
                Err(wrong_type("epoch seconds (a number)", other.kind()))
            }
            // A document may spell any timestamp as ISO-8601 too.
            (format, Scalar::Str(v)) => DateTime::parse(&v, format)
                .or_else(|e| {
                    if in_document() {
                        DateTime::parse(&v, Format::DateTime).map_err(|_| e)
                    } else {
                        Err(e)
                    }
                })
                .map_err(de::Error::custom),
            (_, other) => Err(wrong_type("a timestamp string", other.kind())),
        }
    }
}

/// A string enum: any string, unknown values kept (`E: From<&str>`).
pub struct Enum<E>(PhantomData<E>);

impl<E> Enum<E> {
    pub const fn new() -> Self {
        Enum(PhantomData)
    }
}

impl<E> Default for Enum<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for Enum<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Enum<E> {}

impl<'de, E: for<'a> From<&'a str>> DeserializeSeed<'de> for Enum<E> {
    type Value = E;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<E, D::Error> {
        match scalar(d, "a string")? {
            Scalar::Str(v) => Ok(E::from(v.as_ref())),
            other => Err(wrong_type("a string", other.kind())),
        }
    }
}

/// An `intEnum`: any `i32`, unknown values kept (`E: From<i32>`).
pub struct IntEnum<E>(PhantomData<E>);

impl<E> IntEnum<E> {
    pub const fn new() -> Self {
        IntEnum(PhantomData)
    }
}

impl<E> Default for IntEnum<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for IntEnum<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for IntEnum<E> {}

impl<'de, E: From<i32>> DeserializeSeed<'de> for IntEnum<E> {
    type Value = E;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<E, D::Error> {
        integer::<i32, D::Error>(scalar(d, "an integer")?).map(E::from)
    }
}

/// A document: any JSON value, kept as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Document;

impl<'de> DeserializeSeed<'de> for Document {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

/// `null` reads as `None`, anything else through the inner seed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opt<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Opt<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Opt<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// Rejects every JSON value but the container a visitor reads (`expected`: `an array`).
macro_rules! only_container {
    ($expected:literal) => {
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str($expected)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "null"))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "null"))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(wrong_type($expected, "a string"))
        }
    };
}

/// A structure or union: the generated crate reads its members from the object's entries.
pub trait ReadObject<'de>: Copy {
    type Value;
    fn read<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error>;
}

/// Reads a JSON object with a [`ReadObject`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Object<R>(pub R);

impl<'de, R: ReadObject<'de>> DeserializeSeed<'de> for Object<R> {
    type Value = R::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R: ReadObject<'de>> Visitor<'de> for Object<R> {
    type Value = R::Value;
    only_container!("an object");
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<R::Value, A::Error> {
        Err(wrong_type("an object", "an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<R::Value, A::Error> {
        self.0.read(map)
    }
}

/// The `Unit` shape: any object, its entries ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unit;

impl<'de> ReadObject<'de> for Unit {
    type Value = ();
    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// An object key, as its index in a structure's member names (`None`: a key to skip).
#[derive(Clone, Copy, Debug)]
pub struct Key(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == v))
    }
}

/// An object key of a structure whose members have wire names of their own (`@jsonName`): its
/// index in `wire` (the names on the wire), or in `members` (the member names) while a
/// document is read (`from_document`).
#[derive(Clone, Copy, Debug)]
pub struct NamedKey {
    pub wire: &'static [&'static str],
    pub members: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for NamedKey {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        let names = if in_document() {
            self.members
        } else {
            self.wire
        };
        d.deserialize_str(Key(names))
    }
}

/// A union's key as on the wire: while a document is read (`from_document`), a member name
/// in `renamed` (`(member name, wire name)`) becomes its wire name.
pub fn wire_key<'k>(key: &'k str, renamed: &[(&str, &'static str)]) -> &'k str {
    if in_document() {
        if let Some((_, wire)) = renamed.iter().find(|(member, _)| *member == key) {
            return wire;
        }
    }
    key
}

/// Reads the next entry's value as the member `name` (null: `None`), naming it on failure.
pub fn member<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    name: &'static str,
    seed: S,
) -> Result<Option<S::Value>, A::Error> {
    map.next_value_seed(Opt(seed)).map_err(|e| at(e, name))
}

/// Skips the next entry's value (an unknown member).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A dense list: nulls are skipped, as AWS SDKs do.
#[derive(Clone, Copy, Debug, Default)]
pub struct List<S>(pub S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for List<S> {
    type Value = Vec<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for List<S> {
    type Value = Vec<S::Value>;
    only_container!("an array");
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(wrong_type("an array", "an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let mut i = 0usize;
        while let Some(item) = seq
            .next_element_seed(Opt(self.0))
            .map_err(|e| at(e, format!("[{i}]")))?
        {
            out.extend(item);
            i += 1;
        }
        Ok(out)
    }
}

/// A `@sparse` list: nulls are kept as `None`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SparseList<S>(pub S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for SparseList<S> {
    type Value = Vec<Option<S::Value>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for SparseList<S> {
    type Value = Vec<Option<S::Value>>;
    only_container!("an array");
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(wrong_type("an array", "an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq
            .next_element_seed(Opt(self.0))
            .map_err(|e| at(e, format!("[{}]", out.len())))?
        {
            out.push(item);
        }
        Ok(out)
    }
}

/// A dense map (keys: `K: From<String>`): entries with a null value are skipped.
pub struct Map<K, S> {
    value: S,
    key: PhantomData<K>,
}

/// A `@sparse` map: null values are kept as `None`.
pub struct SparseMap<K, S> {
    value: S,
    key: PhantomData<K>,
}

macro_rules! map_seed {
    ($name:ident, $value:ty, |$out:ident, $k:ident, $v:ident| $insert:expr) => {
        impl<K, S> $name<K, S> {
            pub const fn new(value: S) -> Self {
                $name {
                    value,
                    key: PhantomData,
                }
            }
        }

        impl<K, S: Copy> Clone for $name<K, S> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<K, S: Copy> Copy for $name<K, S> {}

        impl<'de, K: Ord + From<String>, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de>
            for $name<K, S>
        {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
                d.deserialize_any(self)
            }
        }

        impl<'de, K: Ord + From<String>, S: DeserializeSeed<'de> + Copy> Visitor<'de>
            for $name<K, S>
        {
            type Value = $value;
            only_container!("an object");
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<$value, A::Error> {
                Err(wrong_type("an object", "an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$value, A::Error> {
                let mut $out = BTreeMap::new();
                while let Some($k) = map.next_key::<String>()? {
                    let $v = map
                        .next_value_seed(Opt(self.value))
                        .map_err(|e| at(e, format!("[{:?}]", $k)))?;
                    $insert;
                }
                Ok($out)
            }
        }
    };
}

map_seed!(Map, BTreeMap<K, S::Value>, |out, k, v| if let Some(v) = v {
    out.insert(K::from(k), v);
});
map_seed!(SparseMap, BTreeMap<K, Option<S::Value>>, |out, k, v| out.insert(K::from(k), v));

/// A union is an object with exactly one non-null member.
pub fn one_member<T, E: de::Error>(set: usize, value: Option<T>) -> Result<T, E> {
    match (set, value) {
        (1, Some(v)) => Ok(v),
        _ => Err(E::custom("a union must have exactly one member set")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy)]
    struct Pair;

    /// `{"N": integer, "L": [string], "T": timestamp}` as a generated reader would read it.
    impl<'de> ReadObject<'de> for Pair {
        type Value = (Option<i32>, Option<Vec<String>>, Option<DateTime>);
        fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            const KEYS: &[&str] = &["N", "L", "T"];
            let mut out = (None, None, None);
            while let Some(key) = map.next_key_seed(Key(KEYS))? {
                match key {
                    Some(0) => out.0 = member(&mut map, "N", Int::<i32>::new())?,
                    Some(1) => out.1 = member(&mut map, "L", List(Str))?,
                    Some(2) => out.2 = member(&mut map, "T", Timestamp(Format::EpochSeconds))?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(out)
        }
    }

    fn read(body: &str) -> Result<<Pair as ReadObject<'static>>::Value, DeserializeError> {
        let body: &'static [u8] = Box::leak(body.as_bytes().to_vec().into_boxed_slice());
        from_body(body, Object(Pair))
    }

    #[test]
    fn reads_members_skips_unknown_keys_and_nulls() {
        let (n, l, t) =
            read(r#"{"X":{"deep":[1,{"a":null}]},"N":-7,"L":["a",null,"b\n"],"T":1.5,"Y":null}"#)
                .unwrap();
        assert_eq!(n, Some(-7));
        assert_eq!(l, Some(vec!["a".to_owned(), "b\n".to_owned()]));
        assert_eq!(t, Some(DateTime::from_secs_and_nanos(1, 500_000_000)));
        assert_eq!(read(r#"{"N":null}"#).unwrap(), (None, None, None));
        assert_eq!(read("  ").unwrap(), (None, None, None));
    }

    #[test]
    fn errors_name_the_path() {
        let e = read(r#"{"L":["a","b",3]}"#).unwrap_err();
        assert_eq!(e.to_string(), "L[2]: expected a string, found a number");
        let e = read(r#"{"N":"12"}"#).unwrap_err();
        assert_eq!(e.to_string(), "N: expected an integer, found a string");
        let e = read(r#"{"N":3000000000}"#).unwrap_err();
        assert_eq!(e.to_string(), "N: 3000000000 is out of range for i32");
        let e = read(r#"{"N":1e3}"#).unwrap_err();
        assert_eq!(e.to_string(), "N: expected an integer, found 1000.0");
        let e = read(r#"[1]"#).unwrap_err();
        assert_eq!(e.to_string(), "expected an object, found an array");
        // A failed read leaves no path behind for the next one.
        let e = read(r#"{"T":true}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "T: expected epoch seconds (a number), found a boolean"
        );
    }

    #[test]
    fn bad_json_is_invalid_json() {
        for body in [r#"{"N":1"#, r#"{"N":1} x"#, "<html>", r#"{"N":01}"#] {
            let e = read(body).unwrap_err();
            assert!(e.message().starts_with("invalid JSON: "), "{body}: {e}");
            assert_eq!(e.path(), "", "{body}");
        }
    }

    #[test]
    fn scalars_are_strict() {
        let v = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        let doc = v(r#"["NaN", 2, "x", true, "aGk=", "!!", 12.5]"#);
        let at = |i: usize| &doc[i];
        assert!(from_value(at(0), Double).unwrap().is_nan());
        assert_eq!(from_value(at(1), Double).unwrap(), 2.0);
        assert_eq!(
            from_value(at(2), Double).unwrap_err().to_string(),
            "expected a number, found the string \"x\""
        );
        assert_eq!(
            from_value(at(3), Str).unwrap_err().to_string(),
            "expected a string, found a boolean"
        );
        assert_eq!(from_value(at(4), Blob).unwrap(), b"hi");
        assert!(from_value(at(5), Blob)
            .unwrap_err()
            .to_string()
            .starts_with("invalid base64"));
        assert_eq!(from_value(at(6), NumberText).unwrap(), "12.5");
        assert_eq!(from_value(at(1), Int::<i8>::new()).unwrap(), 2i8);
    }

    #[test]
    fn maps_keep_or_drop_nulls() {
        let doc: Value = serde_json::from_str(r#"{"a":"1","b":null}"#).unwrap();
        let dense = from_value(&doc, Map::<String, _>::new(Str)).unwrap();
        assert_eq!(dense.len(), 1);
        let sparse = from_value(&doc, SparseMap::<String, _>::new(Str)).unwrap();
        assert_eq!(sparse.get("b"), Some(&None));
        let e = from_value(&doc, Map::<String, _>::new(Int::<i32>::new())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "[\"a\"]: expected an integer, found a string"
        );
    }
}
