/**
 * Warns before leaving the review queue with choices not yet saved. The forms it guards are plain
 * POST forms (they work without JavaScript); once hydrated, this island compares each guarded
 * form's fields with what the server rendered, says how many choices are unsaved, and asks the
 * browser to confirm leaving (`beforeunload`) while any are. Submitting the form itself is not
 * leaving.
 */
import { useEffect, useState } from "preact/hooks";

export interface UnsavedGuardProps {
  /** CSS selector of the forms to guard. */
  forms: string;
}

/** The form's current values, one string per field, in order. */
function snapshot(form: HTMLFormElement): string[] {
  return [...form.elements].map((element) => {
    if (element instanceof HTMLInputElement && element.type === "checkbox") {
      return String(element.checked);
    }
    return "value" in element ? String((element as HTMLInputElement).value) : "";
  });
}

export function UnsavedGuard(props: UnsavedGuardProps) {
  const [unsaved, setUnsaved] = useState(0);
  useEffect(() => {
    const forms = [...document.querySelectorAll<HTMLFormElement>(props.forms)];
    const initial = new Map(forms.map((form) => [form, snapshot(form)]));
    let submitting = false;
    const count = () => {
      let changed = 0;
      for (const form of forms) {
        const before = initial.get(form)!;
        snapshot(form).forEach((value, at) => {
          if (value !== before[at]) changed++;
        });
      }
      return changed;
    };
    const onChange = () => setUnsaved(count());
    const onSubmit = () => submitting = true;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (submitting || count() === 0) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set to show the prompt
    };
    for (const form of forms) {
      form.addEventListener("change", onChange);
      form.addEventListener("submit", onSubmit);
    }
    globalThis.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      for (const form of forms) {
        form.removeEventListener("change", onChange);
        form.removeEventListener("submit", onSubmit);
      }
      globalThis.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [props.forms]);
  return (
    <p class="unsaved-note" role="status" data-unsaved={unsaved}>
      {unsaved > 0
        ? `${unsaved} unsaved choice${unsaved === 1 ? "" : "s"}: save before leaving the page.`
        : ""}
    </p>
  );
}
