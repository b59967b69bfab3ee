//! Blind question set C, over `tests/fixtures/ask_catalogue_blind_c.toml` (a language-learning
//! and study community: learners, tutors, lessons, quizzes, streaks; 21 stats). Written for
//! issue 27's second round by someone who had not read the matcher, its vocabulary or the other
//! sets, before any run: its first run is the honest figure. Today is taken as early December
//! 2026 ("since march" is 2026-03-01). Each line's comment names its category.
//!
//! First run, untuned, at 797b89d: 84 answerable, top-1 60 (71%), top-3 69 (82%), confident
//! wrong 0; 20 not answerable (requests and unanswerable), none answered confidently.
//! Paraphrases 8/26 top-1, indirect 3/8. Do not tune on the questions one by one: fix general rules.

use super::question_sets::Case;

#[rustfmt::skip]
pub const BLIND_C_CASES: &[Case] = &[
    ("how many learners do we have", "learners", &[]), // direct
    ("new learners", "new-learners", &[]), // direct
    ("sign ups by month", "signups-monthly", &[]), // direct
    ("active tutors", "active-tutors", &[]), // direct
    ("tutor ratings", "tutor-ratings", &[]), // direct
    ("busiest tutors", "busiest-tutors", &[]), // direct
    ("how many group study sessions were held", "study-sessions", &[]), // direct
    ("tutoring sessions booked per week", "sessions-booked", &[]), // direct
    ("cancelled sessions", "cancellations", &[]), // direct
    ("longest streaks", "streak-leaders", &[]), // direct
    ("lessons completed per week", "lessons-done", &[]), // direct
    ("which learners completed the most lessons", "top-learners", &[]), // direct
    ("average quiz score per level", "quiz-scores", &[]), // direct
    ("learners by level", "level-breakdown", &[]), // direct
    ("native languages of our learners", "native-languages", &[]), // direct
    ("which languages are being learned", "target-languages", &[]), // direct
    ("homework submitted each week", "homework-submissions", &[]), // direct
    ("homework awaiting review", "homework-pending", &[]), // direct
    ("most popular flashcard decks", "flashcard-decks", &[]), // direct
    ("lapsed learners", "lapsed-learners", &[]), // direct
    ("level ups", "level-ups", &[]), // direct
    ("how many tutors ran a session", "active-tutors", &[]), // direct
    ("quiz scores", "quiz-scores", &[]), // direct
    ("how many homework submissions came in after the deadline", "homework-submissions", &[]), // direct
    ("cefr levels breakdown", "level-breakdown", &[]), // direct

    ("new learners this week", "new-learners", &[("days", "7")]), // param
    ("signups per month over the last 6 months", "signups-monthly", &[("months", "6")]), // param
    ("top 5 tutors by rating", "tutor-ratings", &[("limit", "5")]), // param
    ("how many learners are learning japanese", "learners", &[("language", "japanese")]), // param
    ("lessons completed since march", "lessons-done", &[("from", "2026-03-01")]), // param
    ("study sessions in the last 2 weeks", "study-sessions", &[("days", "14")]), // param
    ("cancelled sessions in the past 30 days", "cancellations", &[("days", "30")]), // param
    ("top 10 streaks", "streak-leaders", &[("limit", "10")]), // param
    ("quiz scores for french", "quiz-scores", &[("language", "french")]), // param
    ("level breakdown for german learners", "level-breakdown", &[("language", "german")]), // param
    ("busiest tutors over the past year", "busiest-tutors", &[("months", "12")]), // param
    ("sessions booked since september", "sessions-booked", &[("from", "2026-09-01")]), // param
    ("homework submissions last 3 months", "homework-submissions", &[("months", "3")]), // param
    ("level ups since june", "level-ups", &[("from", "2026-06-01")]), // param
    ("top 3 flashcard decks this week", "flashcard-decks", &[("limit", "3"), ("days", "7")]), // param
    ("active tutors today", "active-tutors", &[("days", "1")]), // param
    ("spanish lessons done since october", "lessons-done", &[("language", "spanish"), ("from", "2026-10-01")]), // param
    ("top 5 native languages", "native-languages", &[("limit", "5")]), // param

    ("tutr ratings", "tutor-ratings", &[]), // typo
    ("how many lerners", "learners", &[]), // typo
    ("longest steaks", "streak-leaders", &[]), // typo
    ("flashcrad decks", "flashcard-decks", &[]), // typo
    ("homwork awaiting reveiw", "homework-pending", &[]), // typo
    ("canceled sesions", "cancellations", &[]), // typo
    ("quizz scores", "quiz-scores", &[]), // typo

    ("how many students have we got", "learners", &[]), // paraphrase
    ("any fresh faces lately", "new-learners", &[]), // paraphrase
    ("whos getting the best reviews from students", "tutor-ratings", &[]), // paraphrase
    ("which teachers are run off their feet", "busiest-tutors", &[]), // paraphrase
    ("how many teachers actually taught anything recently", "active-tutors", &[]), // paraphrase
    ("how often do ppl bail on their 1 on 1s", "cancellations", &[]), // paraphrase
    ("how many classes got called off", "cancellations", &[]), // paraphrase
    ("who has kept it up every single day for ages", "streak-leaders", &[]), // paraphrase
    ("how many units are folks getting through", "lessons-done", &[]), // paraphrase
    ("whos the most hardworking student", "top-learners|streak-leaders", &[]), // paraphrase
    ("how are ppl doing on the tests", "quiz-scores", &[]), // paraphrase
    ("how many beginners vs advanced folks", "level-breakdown", &[]), // paraphrase
    ("whats the top mother tongue round here", "native-languages", &[]), // paraphrase
    ("what are people picking up the most spanish or french or what", "target-languages", &[]), // paraphrase
    ("how many assignments got turned in", "homework-submissions", &[]), // paraphrase
    ("whats left to grade", "homework-pending", &[]), // paraphrase
    ("which card sets get drilled the most", "flashcard-decks", &[]), // paraphrase
    ("whos ghosted us", "lapsed-learners", &[]), // paraphrase
    ("who dropped off the radar", "lapsed-learners", &[]), // paraphrase
    ("who got promoted to the next band", "level-ups", &[]), // paraphrase
    ("how many cram meetups did we run", "study-sessions", &[]), // paraphrase
    ("hows the turnout at the cram nights", "study-sessions", &[]), // paraphrase
    ("how many 1 on 1s got scheduled", "sessions-booked", &[]), // paraphrase
    ("whos the most liked teacher", "tutor-ratings", &[]), // paraphrase
    ("how many pupils are doing korean", "learners", &[("language", "korean")]), // paraphrase
    ("are more people joining than before", "signups-monthly|new-learners", &[]), // paraphrase

    ("anyone i should congratulate on moving up", "level-ups", &[]), // indirect
    ("anyone i should check in on", "lapsed-learners", &[]), // indirect
    ("which tutor deserves a shoutout", "tutor-ratings|busiest-tutors", &[]), // indirect
    ("is there a backlog of marking", "homework-pending", &[]), // indirect
    ("should we worry about people flaking on tutoring", "cancellations", &[]), // indirect
    ("who deserves a badge for consistency", "streak-leaders", &[]), // indirect
    ("which decks should we feature in the newsletter", "flashcard-decks", &[]), // indirect
    ("anyone new i should say hi to", "new-learners", &[]), // indirect

    ("hi bot", "", &[]), // request
    ("thanks", "", &[]), // request
    ("book me a session with maria on friday", "", &[]), // request
    ("cancel my thursday lesson", "", &[]), // request
    ("reset my streak", "", &[]), // request
    ("add a new deck for japanese verbs", "", &[]), // request
    ("change my level to b2", "", &[]), // request
    ("remove that tutor", "", &[]), // request

    ("how many messages in the spanish practice channel this week", "", &[]), // unanswerable
    ("how much did we earn from tutoring", "", &[]), // unanswerable
    ("whats the average session length", "", &[]), // unanswerable
    ("how many tutors can teach japanese", "", &[]), // unanswerable
    ("what time zone are most learners in", "", &[]), // unanswerable
    ("how many people passed the dele exam", "", &[]), // unanswerable
    ("whats the weather in tokyo", "", &[]), // unanswerable
    ("which flashcards do people get wrong most", "", &[]), // unanswerable
    ("how many learners pay for premium", "", &[]), // unanswerable
    ("average age of our learners", "", &[]), // unanswerable
    ("which country has the most learners", "", &[]), // unanswerable
    ("how long does it take to get from a1 to a2", "", &[]), // unanswerable
];
