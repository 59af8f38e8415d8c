/**
 * Every island, by the name the server writes into `data-island` and the browser hydrates.
 * Adding an island means adding it here (the client bundle imports this registry).
 */
import { Chart } from "./chart.tsx";
import { FilterForm } from "./filter_form.tsx";
import { RerunBanner } from "./rerun_banner.tsx";
import { RerunPanel } from "./rerun_panel.tsx";
import { UnsavedGuard } from "./unsaved_guard.tsx";

export const ISLANDS = {
  chart: Chart,
  filter_form: FilterForm,
  rerun_banner: RerunBanner,
  rerun_panel: RerunPanel,
  unsaved_guard: UnsavedGuard,
} as const;

export type IslandName = keyof typeof ISLANDS;
