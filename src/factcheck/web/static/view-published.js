// The published fact checks: the public ClaimReview feed, newest first, paged with the
// feed's `Link: rel="next"` header. Open without signing in.

import { nextCursorFromLink, request } from "./api.js";
import { el, latestOnly, link, refs, show, timeEl } from "./dom.js";
import { formatDateTime } from "./format.js";
import { attempt } from "./session.js";
import { get, update } from "./store.js";

const PAGE_SIZE = 20;

const ui = refs({
  list: "published-list",
  empty: "published-empty",
  first: "published-first",
  next: "published-next",
});

function item(review) {
  const rating = (review.reviewRating && review.reviewRating.alternateName) || "";
  const appearance = review.itemReviewed && review.itemReviewed.appearance && review.itemReviewed.appearance[0];
  const node = el("li", { className: "card" }, [
    el("p", { className: "claim-reviewed", text: review.claimReviewed }),
    el("p", {}, [
      el("span", { className: "badge rating", text: rating }),
      " ",
      timeEl(review.datePublished, `published ${formatDateTime(review.datePublished)}`),
    ]),
  ]);
  if (review.reviewBody) node.append(el("p", { text: review.reviewBody }));
  // The ClaimReview's url is the public fact-check page (its JSON-LD embedded).
  const links = el("p", { className: "links" }, [link(review.url, "Public fact-check page")]);
  if (appearance && appearance.url) links.append(" · ", link(appearance.url, appearance.headline || "Article"));
  node.append(links);
  return node;
}

const loads = latestOnly();

async function load(cursor) {
  const current = loads();
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  const result = await attempt(() => request("GET", `claim-reviews?${params}`));
  if (!result || !current()) return;
  const next = nextCursorFromLink(result.response.headers.get("Link"));
  update({ published: { cursor: cursor || null, next } });
  const reviews = (result.data && result.data.dataFeedElement) || [];
  ui.list.replaceChildren(...reviews.map(item));
  show(ui.empty, reviews.length === 0);
  ui.next.disabled = !next;
  ui.first.disabled = !cursor;
}

export function init() {
  ui.next.addEventListener("click", () => load(get().published.next));
  ui.first.addEventListener("click", () => load(null));
}

export async function enter(_arg, reveal) {
  reveal();
  document.title = "Published · factcheck";
  await load(get().published.cursor);
}
