"""XML namespaces of the eToegang Dienstencatalogus (FORMATS.md); no Django imports, so scripts can use them."""

NS_1_13 = "urn:etoegang:1.13:service-catalog"
NS_1_11 = "urn:etoegang:1.11:service-catalog"
NAMESPACES = (NS_1_13, NS_1_11)
NS_SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
