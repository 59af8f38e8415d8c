/**
 * Re-run cleaning and aggregations with live progress. Without JavaScript the button is a plain
 * POST form and the page refreshes itself while a run is going; with it, the run starts with
 * `fetch` and progress streams in over server-sent events, then the page reloads with the new data.
 */
import { useEffect, useState } from "preact/hooks";
import { describeRerun, isFinished, type RerunSnapshot } from "../shared/rerun_status.ts";

export interface RerunPanelProps {
  initial: RerunSnapshot;
  /** Why a run cannot start (no clean report, input missing), if it cannot. */
  blockedReason?: string;
  actionUrl: string;
  eventsUrl: string;
}

export function RerunPanel(props: RerunPanelProps) {
  const [snapshot, setSnapshot] = useState(props.initial);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const running = snapshot.status === "running";

  const follow = () => {
    const events = new EventSource(props.eventsUrl);
    events.addEventListener("snapshot", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as RerunSnapshot;
      setSnapshot(next);
      if (isFinished(next)) {
        events.close();
        // Show the new numbers everywhere on the page.
        // (The path alone: a "saved" notice in the query string is stale by now.)
        if (next.status === "done") setTimeout(() => location.replace(location.pathname), 900);
      }
    });
    events.onerror = () => {
      events.close();
      setMessage("Lost the connection to the server; reload the page to see the run's state.");
    };
  };

  useEffect(() => {
    if (props.initial.status === "running") follow();
  }, []);

  const start = async (event: Event) => {
    event.preventDefault();
    setMessage(undefined);
    const response = await fetch(props.actionUrl, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    if (response.status === 202 || response.status === 409) {
      if (response.status === 409) setMessage("A re-run was already in progress; following it.");
      setSnapshot(await response.json() as RerunSnapshot);
      follow();
    } else {
      setMessage(`Could not start: ${(await response.text()).slice(0, 300)}`);
    }
  };

  return (
    <div class="rerun" data-status={snapshot.status}>
      <form method="post" action={props.actionUrl} onSubmit={start}>
        <button
          type="submit"
          class="button primary"
          disabled={running || props.blockedReason !== undefined}
        >
          {running ? "Re-running…" : "Re-run cleaning and aggregations"}
        </button>
      </form>
      <div class="rerun-status" aria-live="polite">
        {running && (
          <progress max={1} value={snapshot.fraction ?? undefined} aria-label="Re-run progress" />
        )}
        <p class={`rerun-text ${snapshot.status}`}>
          {props.blockedReason ?? describeRerun(snapshot)}
        </p>
        {message && <p class="rerun-message">{message}</p>}
      </div>
    </div>
  );
}
