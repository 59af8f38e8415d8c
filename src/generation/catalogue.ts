/**
 * The product catalogue behind `generate-data`: 8 categories, their price and discount bands, and
 * 48 base products with 2–4 curated names each.
 *
 * Other stages use these tables as ground truth in their tests (the canonical categories, the price
 * band a clean row must respect), so they are plain data, frozen and exported.
 */

/** The 8 canonical categories, in the order lookups and dashboards list them. */
export const CATEGORIES = [
  "Electronics",
  "Clothing",
  "Home & Kitchen",
  "Books",
  "Sports & Outdoors",
  "Beauty & Personal Care",
  "Toys & Games",
  "Grocery",
] as const;

export type Category = typeof CATEGORIES[number];

/** Unit price bands in dollars, inclusive. Every clean `unit_price` lies in its category's band. */
export const CATEGORY_PRICE_RANGES: Readonly<Record<Category, { min: number; max: number }>> = {
  "Electronics": { min: 5, max: 2500 },
  "Clothing": { min: 3, max: 400 },
  "Home & Kitchen": { min: 3, max: 1000 },
  "Books": { min: 2, max: 150 },
  "Sports & Outdoors": { min: 3, max: 1500 },
  "Beauty & Personal Care": { min: 2, max: 300 },
  "Toys & Games": { min: 3, max: 500 },
  "Grocery": { min: 0.5, max: 200 },
};

/**
 * Discounts per category: the odds that an order is discounted at all, and the range of the
 * discount when it is (fractions, drawn in whole percent). Clean discounts never exceed 0.60, so
 * the `heavy_discount` anomaly (> 0.80) only comes from dirty rows.
 */
export const CATEGORY_DISCOUNT_RANGES: Readonly<
  Record<Category, { odds: number; min: number; max: number }>
> = {
  "Electronics": { odds: 0.30, min: 0.05, max: 0.25 },
  "Clothing": { odds: 0.45, min: 0.10, max: 0.60 },
  "Home & Kitchen": { odds: 0.30, min: 0.05, max: 0.35 },
  "Books": { odds: 0.20, min: 0.05, max: 0.30 },
  "Sports & Outdoors": { odds: 0.30, min: 0.05, max: 0.40 },
  "Beauty & Personal Care": { odds: 0.35, min: 0.10, max: 0.50 },
  "Toys & Games": { odds: 0.35, min: 0.05, max: 0.50 },
  "Grocery": { odds: 0.15, min: 0.05, max: 0.20 },
};

export interface Product {
  /** The catalogue's own name for the product (not written to the CSV). */
  key: string;
  category: Category;
  /** The names that appear in `product_name`: 2–4 curated variants. */
  names: readonly string[];
  /** Typical unit price in dollars; rows vary it from −15% to +15%, biased cheap. */
  basePrice: number;
  /** Largest ordinary quantity; quantities run 1..maxQuantity, small ones far more often. */
  maxQuantity: number;
  /** Relative popularity: how often it is ordered compared with other products. */
  weight: number;
}

function product(
  category: Category,
  key: string,
  basePrice: number,
  maxQuantity: number,
  weight: number,
  names: string[],
): Product {
  return { key, category, names, basePrice, maxQuantity, weight };
}

/** 48 base products, 6 per category. Names include commas and double quotes on purpose. */
export const PRODUCTS: readonly Product[] = [
  product("Electronics", "mouse", 24.99, 4, 5, [
    "Wireless Mouse",
    "Wireless Mouse, Black",
    "Ergonomic Wireless Mouse",
  ]),
  product("Electronics", "keyboard", 89.99, 3, 3, [
    "Mechanical Keyboard",
    "Mechanical Keyboard (Brown Switches)",
    "Compact Mechanical Keyboard",
  ]),
  product("Electronics", "monitor", 329.99, 2, 3, [
    '27" 4K Monitor',
    '24" Full HD Monitor',
    "Curved Ultrawide Monitor",
  ]),
  product("Electronics", "laptop", 1199.0, 2, 2, [
    "Laptop 14-inch",
    "Laptop 16-inch Pro",
    'Ultrabook 13.3"',
    "Laptop, 16GB RAM, 512GB SSD",
  ]),
  product("Electronics", "headphones", 149.99, 2, 4, [
    "Noise-Cancelling Headphones",
    "Wireless Earbuds",
    "Over-Ear Headphones",
  ]),
  product("Electronics", "cable", 12.99, 6, 6, [
    "USB-C Cable 1m",
    "USB-C Cable 2m",
    "USB-C Cable, Braided, 2m",
  ]),
  product("Clothing", "t-shirt", 19.99, 6, 6, [
    "Cotton T-Shirt",
    "Cotton T-Shirt, White",
    "Graphic T-Shirt",
  ]),
  product("Clothing", "jeans", 59.99, 3, 4, [
    "Slim Fit Jeans",
    "Relaxed Fit Jeans",
    'Straight Jeans 32" Leg',
  ]),
  product("Clothing", "running-shoes", 99.99, 2, 4, [
    "Running Shoes",
    "Trail Running Shoes",
    "Running Shoes (Wide)",
  ]),
  product("Clothing", "jacket", 179.99, 2, 2, [
    "Winter Jacket",
    "Down Parka",
    "Waterproof Rain Jacket",
  ]),
  product("Clothing", "socks", 14.99, 8, 5, [
    "Wool Socks (3-Pack)",
    "Ankle Socks (6-Pack)",
  ]),
  product("Clothing", "hoodie", 44.99, 3, 4, [
    "Zip Hoodie",
    "Pullover Hoodie",
    "Fleece Hoodie, Grey",
  ]),
  product("Home & Kitchen", "coffee-maker", 89.99, 2, 3, [
    "Drip Coffee Maker",
    "Espresso Machine",
    "French Press 1L",
  ]),
  product("Home & Kitchen", "knife", 49.99, 2, 3, [
    "Chef's Knife 8\"",
    "Santoku Knife",
    "Knife Block Set, 6 Pieces",
  ]),
  product("Home & Kitchen", "pan", 39.99, 3, 4, [
    "Non-Stick Frying Pan",
    'Cast Iron Skillet 12"',
    "Stainless Steel Saucepan",
  ]),
  product("Home & Kitchen", "blender", 79.99, 2, 3, [
    "High-Speed Blender",
    "Personal Blender",
  ]),
  product("Home & Kitchen", "towels", 34.99, 4, 4, [
    "Bath Towel Set",
    "Cotton Bath Towels, Set of 4",
    "Hand Towels (2-Pack)",
  ]),
  product("Home & Kitchen", "vacuum", 299.99, 1, 2, [
    "Cordless Vacuum",
    "Robot Vacuum",
  ]),
  product("Books", "novel", 14.99, 3, 6, [
    "Mystery Novel, Paperback",
    "Mystery Novel, Hardcover",
    "Mystery Novel (Large Print)",
  ]),
  product("Books", "programming", 44.99, 2, 3, [
    "Learning TypeScript",
    "Learning TypeScript, 2nd Edition",
  ]),
  product("Books", "children", 12.99, 4, 4, [
    "Children's Picture Book",
    "Bedtime Stories Collection",
  ]),
  product("Books", "travel", 22.99, 2, 3, [
    "Travel Guide: Japan",
    "Travel Guide: Italy",
    "Travel Guide: Peru",
    "Travel Guide: Morocco",
  ]),
  product("Books", "cookbook", 27.99, 2, 3, [
    "Everyday Cookbook",
    "Vegetarian Cookbook",
    "Baking Basics Cookbook",
  ]),
  product("Books", "history", 39.99, 2, 2, [
    "World History Atlas",
    'The "Little" History of Rome',
  ]),
  product("Sports & Outdoors", "yoga-mat", 29.99, 3, 5, [
    "Yoga Mat",
    "Yoga Mat, Extra Thick",
    "Travel Yoga Mat",
  ]),
  product("Sports & Outdoors", "dumbbells", 149.99, 2, 3, [
    "Adjustable Dumbbells",
    "Dumbbell Pair 10 lb",
  ]),
  product("Sports & Outdoors", "tent", 199.99, 1, 2, [
    "2-Person Tent",
    "4-Person Family Tent",
  ]),
  product("Sports & Outdoors", "bike", 649.99, 1, 2, [
    "Road Bike",
    "Mountain Bike",
    "Kids' Bike 16\"",
  ]),
  product("Sports & Outdoors", "bottle", 24.99, 4, 5, [
    "Insulated Water Bottle",
    "Water Bottle 750ml",
  ]),
  product("Sports & Outdoors", "balls", 19.99, 4, 4, [
    "Soccer Ball Size 5",
    "Basketball",
    "Tennis Balls (3-Pack)",
  ]),
  product("Beauty & Personal Care", "shampoo", 12.99, 4, 5, [
    "Argan Oil Shampoo",
    "Shampoo & Conditioner Set",
  ]),
  product("Beauty & Personal Care", "moisturizer", 24.99, 3, 4, [
    "Daily Moisturizer SPF 30",
    "Night Cream",
    "Face Serum, Vitamin C",
  ]),
  product("Beauty & Personal Care", "toothbrush", 59.99, 2, 3, [
    "Electric Toothbrush",
    "Replacement Brush Heads (4-Pack)",
  ]),
  product("Beauty & Personal Care", "hair-dryer", 49.99, 1, 2, [
    "Ionic Hair Dryer",
    "Travel Hair Dryer",
  ]),
  product("Beauty & Personal Care", "perfume", 79.99, 2, 2, [
    "Eau de Parfum 50ml",
    "Eau de Toilette 100ml",
  ]),
  product("Beauty & Personal Care", "lip-balm", 4.99, 6, 5, [
    "Lip Balm, Mint",
    "Lip Balm (Set of 3)",
  ]),
  product("Toys & Games", "blocks", 49.99, 2, 4, [
    "Building Blocks Set",
    "Building Blocks, 1000 Pieces",
  ]),
  product("Toys & Games", "board-game", 34.99, 2, 4, [
    "Strategy Board Game",
    "Family Board Game",
    "Party Card Game",
  ]),
  product("Toys & Games", "puzzle", 19.99, 3, 4, [
    "Jigsaw Puzzle 1000 Pieces",
    "Jigsaw Puzzle 500 Pieces",
  ]),
  product("Toys & Games", "plush", 17.99, 3, 4, [
    'Teddy Bear 12"',
    "Plush Unicorn",
  ]),
  product("Toys & Games", "rc-car", 89.99, 1, 2, [
    "Remote Control Car",
    "RC Drone with Camera",
  ]),
  product("Toys & Games", "console", 249.99, 1, 2, [
    "Handheld Game Console",
    "Game Controller, Wireless",
  ]),
  product("Grocery", "coffee", 18.99, 6, 6, [
    "Whole Bean Coffee 1kg",
    "Ground Coffee 500g",
    "Espresso Beans, Dark Roast",
  ]),
  product("Grocery", "olive-oil", 12.99, 4, 4, [
    "Extra Virgin Olive Oil 1L",
    "Olive Oil Spray",
  ]),
  product("Grocery", "pasta", 2.49, 12, 6, [
    "Spaghetti 500g",
    "Penne Rigate 500g",
    "Whole Wheat Fusilli",
  ]),
  product("Grocery", "tea", 6.99, 6, 4, [
    "Green Tea (20 Bags)",
    "Earl Grey Tea, 100 Bags",
  ]),
  product("Grocery", "snacks", 9.99, 8, 5, [
    "Mixed Nuts 1kg",
    "Trail Mix",
    "Dark Chocolate Bar 85%",
  ]),
  product("Grocery", "rice", 14.99, 4, 4, [
    "Basmati Rice 5kg",
    "Jasmine Rice 2kg",
  ]),
];

/** Every `product_name` a clean row can hold, mapped to its canonical category. */
export const PRODUCT_CATEGORY_BY_NAME: ReadonlyMap<string, Category> = new Map(
  PRODUCTS.flatMap((entry) => entry.names.map((name) => [name, entry.category] as const)),
);

/** Category values that are not categories at all (1% of dirty rows). */
export const JUNK_CATEGORIES = ["N/A", "misc", "???", ""] as const;
