//! JSON Lines reader: any bytes as records, with a small or no line cap. It must never
//! panic, give one result per non-blank line with increasing line numbers, and every
//! output record line (cleaned payloads aside) must be one line of valid JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rinse::batch::stream::{error_payload, record_line, RecordOptions};
use rinse::input::jsonl::{Fields, Reader};
use rinse::input::{from_unicode, DecodeOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, bytes)) = data.split_first() else {
        return;
    };
    let max = [16usize, 256, 4096, usize::MAX][usize::from(ctl & 3)];
    let opts = RecordOptions::default();
    let mut last = 0u64;
    for item in Reader::new(bytes, Fields::default(), max) {
        let Ok(line) = item else { break };
        assert!(line.number > last, "line numbers increase");
        last = line.number;
        let out = match line.record {
            Ok(rec) => {
                assert!(rec.content.len() <= max);
                let doc = from_unicode(
                    &rec.content,
                    rec.id.as_deref().unwrap_or("r"),
                    &DecodeOptions::default(),
                    rec.url.as_deref(),
                    rec.format,
                )
                .unwrap();
                assert_eq!(doc.source.format, rec.format);
                record_line(rec.fields, &opts, serde_json::Value::Null)
            }
            Err(bad) => record_line(
                bad.fields.unwrap_or_default(),
                &opts,
                error_payload(
                    &bad.error,
                    serde_json::json!({"line": line.number}),
                    bad.raw,
                ),
            ),
        };
        assert!(!out.contains('\n'));
        serde_json::from_str::<serde_json::Value>(&out).expect("output record is JSON");
    }
});
