//! End-to-end: signed Slack requests through the real bot and the real stats API, on a real
//! MariaDB/MySQL database of their own.

mod admin_loop;
mod alerts;
mod alerts_buttons_and_scale;
mod alerts_hostile;
mod ask_in_words;
mod buttons;
mod charts;
mod dev_stack;
mod digests;
mod events;
mod helpers;
mod logs;
mod slack_to_database;
mod slow_answers;
mod socket_mode;
mod socket_mode_events;
mod while_things_change;
