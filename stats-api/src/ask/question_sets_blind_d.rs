//! Blind question set D, over `tests/fixtures/ask_catalogue_blind_d.toml` (a volunteer-run food
//! bank: volunteers, shifts, donations, households, deliveries, pantry stock; 20 stats). Written
//! for issue 27's second round by someone who had not read the matcher, its vocabulary or the
//! other sets, before any run: its first run is the honest figure. Today is taken as early
//! December 2026 ("since march" is 2026-03-01). Each line's comment names its category.
//!
//! First run, untuned, at 797b89d: 83 answerable, top-1 57 (69%), top-3 60 (72%), confident
//! wrong 0; 20 not answerable (requests and unanswerable), 1 answered confidently ("log 3 hours
//! for me"). Paraphrases 7/25 top-1, indirect 0/8. Do not tune on the questions one by one.

use super::question_sets::Case;

#[rustfmt::skip]
pub const BLIND_D_CASES: &[Case] = &[
    ("how many volunteers do we have", "volunteers", &[]), // direct
    ("new volunteers", "new_volunteers", &[]), // direct
    ("volunteer sign ups by month", "signups_by_month", &[]), // direct
    ("shifts filled per week", "shifts_filled", &[]), // direct
    ("shift gaps", "shift_gaps", &[]), // direct
    ("no shows", "no_shows", &[]), // direct
    ("hours logged", "hours_logged", &[]), // direct
    ("top volunteers", "top_volunteers", &[]), // direct
    ("donations in kg", "donations_kg", &[]), // direct
    ("how many donors", "donors", &[]), // direct
    ("top donors", "top_donors", &[]), // direct
    ("households served", "households_served", &[]), // direct
    ("households by neighbourhood", "neighbourhoods", &[]), // direct
    ("how many deliveries", "deliveries", &[]), // direct
    ("drivers by deliveries made", "drivers", &[]), // direct
    ("low stock items", "low_stock", &[]), // direct
    ("whats expiring soon", "expiring_soon", &[]), // direct
    ("first visits", "first_visits", &[]), // direct
    ("parcels packed per week", "parcels_packed", &[]), // direct
    ("busiest sites", "busiest_sites", &[]), // direct
    ("which shifts are still short of volunteers", "shift_gaps", &[]), // direct
    ("pantry items below reorder level", "low_stock", &[]), // direct
    ("volunteer hours logged per month", "hours_logged", &[]), // direct
    ("how many home deliveries were made", "deliveries", &[]), // direct
    ("how much food was donated", "donations_kg", &[]), // direct

    ("new volunteers this week", "new_volunteers", &[("days", "7")]), // param
    ("households served at riverside", "households_served", &[("site", "riverside")]), // param
    ("shift gaps in the next 3 days", "shift_gaps", &[("days", "3")]), // param
    ("top 5 donors", "top_donors", &[("limit", "5")]), // param
    ("donations since march", "donations_kg", &[("from", "2026-03-01")]), // param
    ("hours logged over the last 6 months", "hours_logged", &[("months", "6")]), // param
    ("no shows in the last 2 weeks", "no_shows", &[("days", "14")]), // param
    ("top 10 volunteers by hours", "top_volunteers", &[("limit", "10")]), // param
    ("low stock at eastside", "low_stock", &[("site", "eastside")]), // param
    ("deliveries this week", "deliveries", &[("days", "7")]), // param
    ("sign ups for the past year", "signups_by_month", &[("months", "12")]), // param
    ("first visits since september", "first_visits", &[("from", "2026-09-01")]), // param
    ("households served today", "households_served", &[("days", "1")]), // param
    ("top 3 drivers last 30 days", "drivers", &[("limit", "3"), ("days", "30")]), // param
    ("how many volunteers at northgate", "volunteers", &[("site", "northgate")]), // param
    ("donors in the last 90 days", "donors", &[("days", "90")]), // param
    ("shifts filled downtown since october", "shifts_filled", &[("site", "downtown"), ("from", "2026-10-01")]), // param
    ("busiest sites past 7 days", "busiest_sites", &[("days", "7")]), // param

    ("how many volunters", "volunteers", &[]), // typo
    ("housholds served", "households_served", &[]), // typo
    ("donatoins in kg", "donations_kg", &[]), // typo
    ("shfit gaps", "shift_gaps", &[]), // typo
    ("no shwos", "no_shows", &[]), // typo
    ("delivries", "deliveries", &[]), // typo
    ("low stok", "low_stock", &[]), // typo

    ("how many helpers have we got on the books", "volunteers", &[]), // paraphrase
    ("how many folks pitch in", "volunteers", &[]), // paraphrase
    ("any fresh recruits lately", "new_volunteers", &[]), // paraphrase
    ("which slots have nobody on them yet", "shift_gaps", &[]), // paraphrase
    ("who keeps flaking on us", "no_shows", &[]), // paraphrase
    ("who ditched without telling anyone", "no_shows", &[]), // paraphrase
    ("how much time have people put in", "hours_logged", &[]), // paraphrase
    ("whos put in the most time", "top_volunteers", &[]), // paraphrase
    ("how much grub came in", "donations_kg", &[]), // paraphrase
    ("how many different ppl dropped off tins", "donors", &[]), // paraphrase
    ("who are our biggest givers", "top_donors", &[]), // paraphrase
    ("whos given the most tins", "top_donors", &[]), // paraphrase
    ("how many families did we feed", "households_served", &[]), // paraphrase
    ("how many mouths did we feed at riverside", "households_served", &[("site", "riverside")]), // paraphrase
    ("which parts of town need us most", "neighbourhoods|busiest_sites", &[]), // paraphrase
    ("how many doorstep drop offs did we do", "deliveries", &[]), // paraphrase
    ("whos doing the most runs in the van", "drivers", &[]), // paraphrase
    ("what are we running out of", "low_stock", &[]), // paraphrase
    ("whats about to go off", "expiring_soon", &[]), // paraphrase
    ("how many brand new families walked in", "first_visits", &[]), // paraphrase
    ("how many boxes did we put together", "parcels_packed", &[]), // paraphrase
    ("which location is slammed", "busiest_sites", &[]), // paraphrase
    ("how many rotas were fully staffed", "shifts_filled", &[]), // paraphrase
    ("is recruitment trending upward", "signups_by_month|new_volunteers", &[]), // paraphrase
    ("whos our mvp helper", "top_volunteers", &[]), // paraphrase

    ("anyone i should thank", "top_volunteers|top_donors", &[]), // indirect
    ("do we need to put out a call for helpers this weekend", "shift_gaps", &[]), // indirect
    ("should we run a food drive for anything", "low_stock", &[]), // indirect
    ("anyone new i should welcome", "new_volunteers", &[]), // indirect
    ("anything we need to give away fast", "expiring_soon", &[]), // indirect
    ("who should i have a word with about reliability", "no_shows", &[]), // indirect
    ("which donors deserve a thank you card", "top_donors", &[]), // indirect
    ("where should we send extra hands", "busiest_sites|shift_gaps", &[]), // indirect

    ("sign me up for saturday", "", &[]), // request
    ("delete that donor", "", &[]), // request
    ("hi bot", "", &[]), // request
    ("thanks", "", &[]), // request
    ("log 3 hours for me", "", &[]), // request
    ("mark the rice as restocked", "", &[]), // request
    ("remove jane from the drivers list", "", &[]), // request
    ("post the rota in volunteers channel pls", "", &[]), // request

    ("how much money did we raise", "", &[]), // unanswerable
    ("how many meals did we serve", "", &[]), // unanswerable
    ("whats our electricity bill", "", &[]), // unanswerable
    ("how many volunteers are under 18", "", &[]), // unanswerable
    ("how many vans do we have", "", &[]), // unanswerable
    ("average wait time at the pantry", "", &[]), // unanswerable
    ("which volunteers have a food hygiene certificate", "", &[]), // unanswerable
    ("how many km did the drivers cover", "", &[]), // unanswerable
    ("whats the weather on saturday", "", &[]), // unanswerable
    ("how many halal requests did we get", "", &[]), // unanswerable
    ("who chairs the board", "", &[]), // unanswerable
    ("how much of the donated food was fresh veg", "", &[]), // unanswerable
];
