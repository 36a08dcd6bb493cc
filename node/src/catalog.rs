//! The product catalog (`data/products.txt`). The specialty vocabulary is in
//! [`crate::specialties`].

/// One catalog product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub slug: String,
    pub name: String,
}

/// The products this node knows.
#[derive(Clone, Debug)]
pub struct Catalog {
    products: Vec<Product>,
}

impl Catalog {
    /// The catalog shipped with caremesh.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../data/products.txt"))
    }

    /// Parses the `slug<TAB>name` format; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Self {
        let products = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (slug, name) = l.split_once('\t').unwrap_or((l, l));
                Product {
                    slug: slug.trim().to_owned(),
                    name: name.trim().to_owned(),
                }
            })
            .collect();
        Self { products }
    }

    /// Every product, in file order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The product with this slug.
    pub fn get(&self, slug: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_has_the_fixed_slugs() {
        let c = Catalog::builtin();
        assert_eq!(c.products().len(), 13);
        assert_eq!(c.get("face-shield").unwrap().name, "Face shield");
        assert!(c.get("unicorn").is_none());
    }
}
