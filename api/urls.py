from ninja import NinjaAPI

api = NinjaAPI(title="sciday API", version="1", urls_namespace="api")
