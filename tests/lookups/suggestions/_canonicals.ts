/** The canonical names the suggestion tests propose from: the generator's regions and categories. */
export const REGIONS = [
  "Africa",
  "Asia",
  "Europe",
  "Middle East",
  "North America",
  "Oceania",
  "South America",
];

export const CATEGORIES = [
  "Beauty & Personal Care",
  "Books",
  "Clothing",
  "Electronics",
  "Grocery",
  "Home & Kitchen",
  "Sports & Outdoors",
  "Toys & Games",
];
