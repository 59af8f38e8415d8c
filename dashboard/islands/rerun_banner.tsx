/**
 * A banner on every page while a re-run rewrites the data: what it is doing and how far it got, so
 * numbers that change under a person's eyes are explained. Without JavaScript the server renders it
 * and the page refreshes itself while the run goes on; with it, progress streams in over
 * server-sent events, an idle page checks now and then whether a run started elsewhere, and a
 * finished run offers a reload.
 */
import { useEffect, useState } from "preact/hooks";
import { describeRerun, isFinished, type RerunSnapshot } from "../shared/rerun_status.ts";

export interface RerunBannerProps {
  initial: RerunSnapshot;
  eventsUrl: string;
  statusUrl: string;
}

/** How often an idle page asks whether a run has started (from another tab or page). */
const IDLE_POLL_MS = 10_000;

export function RerunBanner(props: RerunBannerProps) {
  const [snapshot, setSnapshot] = useState(props.initial);
  // A run that finished while this page was open: its numbers are out of date.
  const [finishedHere, setFinishedHere] = useState(false);

  useEffect(() => {
    let events: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const follow = () => {
      events = new EventSource(props.eventsUrl);
      events.addEventListener("snapshot", (event) => {
        const next = JSON.parse((event as MessageEvent<string>).data) as RerunSnapshot;
        setSnapshot(next);
        if (isFinished(next)) {
          events?.close();
          events = undefined;
          if (next.status !== "idle") setFinishedHere(true);
          poll();
        }
      });
      events.onerror = () => {
        events?.close();
        events = undefined;
        poll();
      };
    };
    const poll = () => {
      if (stopped) return;
      timer = setTimeout(async () => {
        try {
          const next = await (await fetch(props.statusUrl)).json() as RerunSnapshot;
          if (next.status === "running") {
            setSnapshot(next);
            setFinishedHere(false);
            follow();
            return;
          }
        } catch {
          // The server is away (restarting): ask again later.
        }
        poll();
      }, IDLE_POLL_MS);
    };
    if (props.initial.status === "running") follow();
    else poll();
    return () => {
      stopped = true;
      events?.close();
      clearTimeout(timer);
    };
  }, []);

  const running = snapshot.status === "running";
  if (!running && !finishedHere) return null;
  return (
    <div class={`rerun-banner ${snapshot.status}`} role="status" data-status={snapshot.status}>
      <strong class="rerun-banner-title">
        {running ? "Re-running cleaning and aggregations" : "Re-run finished"}
      </strong>
      {running && (
        <progress max={1} value={snapshot.fraction ?? undefined} aria-label="Re-run progress" />
      )}
      <span class="rerun-banner-text">
        {describeRerun(snapshot)}
        {running ? " The figures on this page change when it is done." : ""}
      </span>
      {!running && (
        <a class="button" href={location.pathname + location.search}>
          Reload to see the new data
        </a>
      )}
    </div>
  );
}
